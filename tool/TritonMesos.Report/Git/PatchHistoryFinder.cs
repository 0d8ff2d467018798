using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TritonMesos.Report.Git;

/// <summary>What the history search needs of one patch: its text, the paths it names (old and new) and the paths its diff changes.</summary>
/// <param name="Changed">The paths with a change in the diff; null when the diff renames, copies or has binary or mode-only sections (then every commit on <paramref name="Paths"/> is a candidate).</param>
internal sealed record HistoryQuery(string PatchText, IReadOnlyList<string> Paths, IReadOnlySet<string>? Changed)
{
    /// <summary>The query of a parsed patch.</summary>
    public static HistoryQuery Of(PreparedPatch patch)
    {
        var files = patch.Files;
        var exact = files.All(f => !f.IsRename && !f.IsBinary && f.Hunks.Count > 0 && (f.OldPath == f.NewPath || f.IsNewFile || f.IsDeletedFile));
        return new HistoryQuery(File.ReadAllText(patch.File.Path),
            files.SelectMany(f => new[] { f.OldPath, f.NewPath }).Distinct().ToList(),
            exact ? files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal) : null);
    }
}

// Searches upstream history (limited to the patches' files) with the git CLI; results are cached on disk by input hash.
// One walk lists, for every commit reachable from the tips, the patches' files it touches (tree comparisons only, no
// blob is read); only a commit that changes exactly the files a patch changes can have its patch-id, so only those
// commits' diffs are generated and hashed.
/// <summary>Searches upstream history (limited to the patches' files) with the git CLI for commits with a patch's change.</summary>
internal sealed class PatchHistoryFinder(string upstreamPath, string? cacheDirectory)
{
    /// <summary>Share of a patch's significant added lines an upstream commit must add to be named "by content".</summary>
    private const double ContentThreshold = 0.6;

    /// <summary>The history of every query: commits reachable from <paramref name="tips"/> that touch its paths and have its patch-id (<see cref="PatchHistory.ByContent"/> is not searched).</summary>
    public async Task<IReadOnlyList<PatchHistory>> FindAsync(IReadOnlyList<HistoryQuery> queries, IReadOnlyList<string> tips, CancellationToken ct)
    {
        var results = new PatchHistory?[queries.Count];
        for (var i = 0; i < queries.Count; i++)
            results[i] = await ReadCacheAsync(queries[i], tips, ct);
        var missing = Enumerable.Range(0, queries.Count).Where(i => results[i] is null).ToList();
        if (missing.Count > 0)
        {
            var walk = Task.Run(() => CandidatesAsync(missing.Select(i => queries[i]).ToList(), tips, ct), ct);
            var ownIds = Task.Run(() => OwnPatchIdsAsync(missing.Select(i => queries[i].PatchText).ToList(), ct), ct);
            var commits = await walk;
            var found = missing.Select((i, k) => Task.Run(async () =>
            {
                var query = queries[i];
                var ownId = (await ownIds)[k];
                var pathSet = query.Paths.ToHashSet(StringComparer.Ordinal);
                var candidates = commits
                    .Where(c => c.Files.Any(pathSet.Contains) && (query.Changed is null || query.Changed.SetEquals(c.Files.Where(pathSet.Contains))))
                    .Select(c => c.Commit)
                    .ToList();
                var same = ownId.Length == 0 || candidates.Count == 0 ? [] : await SamePatchIdAsync(ownId, candidates, query.Paths, ct);
                return new PatchHistory(ownId.Length == 0 ? null : ownId, same, null);
            }, ct)).ToList();
            for (var k = 0; k < missing.Count; k++)
            {
                results[missing[k]] = await found[k];
                await WriteCacheAsync(queries[missing[k]], tips, results[missing[k]]!, ct);
            }
        }
        return results.Select(r => r!).ToList();
    }

    /// <summary><paramref name="history"/> with <see cref="PatchHistory.ByContent"/> searched: commits that add most of the patch's significant lines.</summary>
    public async Task<PatchHistory> WithByContentAsync(HistoryQuery query, IReadOnlyList<string> tips, PatchHistory history, CancellationToken ct)
    {
        if (history.ByContent is not null)
            return history;
        var wanted = SignificantAdded(query.PatchText).ToHashSet(StringComparer.Ordinal);
        var byContent = new List<(string Commit, double Share)>();
        if (wanted.Count > 0)
        {
            var log = await global::TritonMesos.Git.RunAsync(upstreamPath,
                ["log", "-p", "--no-merges", "--no-color", "--no-ext-diff", "--format=commit %H", .. tips, "--", .. query.Paths], ct);
            foreach (var (commit, text) in SplitLog(log))
            {
                var added = SignificantAdded(text).ToHashSet(StringComparer.Ordinal);
                var share = wanted.Count(added.Contains) / (double)wanted.Count;
                if (share >= ContentThreshold)
                    byContent.Add((commit, share));
            }
        }
        var searched = history with
        {
            ByContent = byContent.OrderByDescending(c => c.Share).Select(c => c.Commit).Where(c => !history.SamePatchId.Contains(c)).Take(10).ToList(),
        };
        await WriteCacheAsync(query, tips, searched, ct);
        return searched;
    }

    // The non-merge commits reachable from tips that may have the patch-id of one of queries, newest first, with the
    // files of the queries they touch. A commit with a patch's patch-id changes every file the patch changes, so the
    // walk follows one file per patch (KeyFile; every path of a patch whose changed files are unknown), and only the
    // commits it finds are compared file by file.
    /// <summary>The non-merge commits reachable from <paramref name="tips"/> that may have the patch-id of one of <paramref name="queries"/>, newest first.</summary>
    private async Task<IReadOnlyList<(string Commit, IReadOnlyList<string> Files)>> CandidatesAsync(IReadOnlyList<HistoryQuery> queries, IReadOnlyList<string> tips, CancellationToken ct)
    {
        var walked = queries.SelectMany(q => q.Changed is { Count: > 0 } changed ? [KeyFile(changed)] : q.Paths).Distinct().ToList();
        var paths = queries.SelectMany(q => q.Paths).Distinct().ToList();
        // --full-history: no merge simplification, so a commit any one patch's own walk would list is listed here too.
        var found = Touched(await global::TritonMesos.Git.RunAsync(upstreamPath,
            ["log", "--no-merges", "--no-renames", "--full-history", "--format=%x01%H", "--name-only", "-z", .. tips, "--", .. walked], ct));
        if (found.Count == 0 || walked.Count == paths.Count)
            return found;
        // The files of every query each found commit touches (tree comparisons of those commits only).
        var touched = Touched(await global::TritonMesos.Git.RunAsync(upstreamPath,
            ["log", "--no-walk=unsorted", "--no-renames", "--format=%x01%H", "--name-only", "-z", .. found.Select(c => c.Commit), "--", .. paths], ct))
            .ToDictionary(c => c.Commit, c => c.Files, StringComparer.Ordinal);
        return found.Select(c => (c.Commit, touched.TryGetValue(c.Commit, out var files) ? files : c.Files)).ToList();
    }

    /// <summary>The changed file a commit with the patch's patch-id surely touches and few others do: outside src/ if any, else a header, else the first by name.</summary>
    internal static string KeyFile(IReadOnlySet<string> changed) =>
        changed.OrderBy(p => p.StartsWith("src/", StringComparison.Ordinal) ? 1 : 0)
            .ThenBy(p => p.EndsWith(".hpp", StringComparison.Ordinal) || p.EndsWith(".h", StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(p => p, StringComparer.Ordinal)
            .First();

    /// <summary>The commits and files of <c>git log --format=%x01%H --name-only -z</c> output.</summary>
    private static List<(string Commit, IReadOnlyList<string> Files)> Touched(string log)
    {
        var commits = new List<(string, IReadOnlyList<string>)>();
        string? commit = null;
        var files = new List<string>();
        foreach (var token in log.Split('\0'))
        {
            var item = token.TrimStart('\n');
            if (item.StartsWith('\u0001'))
            {
                if (commit is not null)
                    commits.Add((commit, files));
                commit = item[1..];
                files = [];
            }
            else if (item.Length > 0)
                files.Add(item);
        }
        if (commit is not null)
            commits.Add((commit, files));
        return commits;
    }

    /// <summary>The <c>git patch-id --stable</c> of each patch text ("" when it has no diff), from one git run: each text's
    /// <c>From &lt;commit&gt;</c> line (format-patch's first line) gets its index as commit id, which names its answer.</summary>
    private async Task<IReadOnlyList<string>> OwnPatchIdsAsync(IReadOnlyList<string> patchTexts, CancellationToken ct)
    {
        static bool Numberable(string text) => text.Length > 45 && text.StartsWith("From ", StringComparison.Ordinal) && text[5..45].All(char.IsAsciiHexDigit);
        if (!patchTexts.All(Numberable))
            return await Task.WhenAll(patchTexts.Select(async text =>
                (await global::TritonMesos.Git.TryRunAsync(upstreamPath, ["patch-id", "--stable"], ct, text)).StandardOutput.Split(' ', 2)[0].Trim()));
        var input = string.Concat(patchTexts.Select((text, i) => $"From {i:x40}{text[45..]}{(text.EndsWith('\n') ? "" : "\n")}"));
        var ids = new string[patchTexts.Count];
        Array.Fill(ids, "");
        foreach (var line in (await global::TritonMesos.Git.TryRunAsync(upstreamPath, ["patch-id", "--stable"], ct, input)).StandardOutput.Split('\n'))
            if (line.Split(' ') is [var id, var commit] && int.TryParse(commit, System.Globalization.NumberStyles.HexNumber, null, out var index) && index < ids.Length)
                ids[index] = id;
        return ids;
    }

    /// <summary>Those of <paramref name="candidates"/> whose diff, limited to <paramref name="paths"/>, has patch-id <paramref name="ownId"/>, in the given order.</summary>
    private async Task<IReadOnlyList<string>> SamePatchIdAsync(string ownId, IReadOnlyList<string> candidates, IReadOnlyList<string> paths, CancellationToken ct)
    {
        var log = await global::TritonMesos.Git.RunAsync(upstreamPath,
            ["log", "-p", "--no-walk=unsorted", "--no-color", "--no-ext-diff", "--format=commit %H", .. candidates, "--", .. paths], ct);
        var ids = await global::TritonMesos.Git.TryRunAsync(upstreamPath, ["patch-id", "--stable"], ct, log);
        return ids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .Where(p => p.Length == 2 && p[0] == ownId)
            .Select(p => p[1])
            .Distinct()
            .ToList();
    }

    private string? CachePath(HistoryQuery query, IReadOnlyList<string> tips) => cacheDirectory is null ? null
        : System.IO.Path.Combine(cacheDirectory, $"history-{Hash(string.Join('\n', tips.Order(StringComparer.Ordinal)) + "\n--\n" + string.Join('\n', query.Paths) + "\n--\n" + query.PatchText)}.json");

    private async Task<PatchHistory?> ReadCacheAsync(HistoryQuery query, IReadOnlyList<string> tips, CancellationToken ct)
    {
        if (CachePath(query, tips) is not { } path || !File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize(await File.ReadAllTextAsync(path, ct), ReportJson.Default.PatchHistory);
        }
        catch (JsonException)
        {
            // A damaged cache entry is recomputed.
            return null;
        }
    }

    private async Task WriteCacheAsync(HistoryQuery query, IReadOnlyList<string> tips, PatchHistory history, CancellationToken ct)
    {
        if (CachePath(query, tips) is not { } path)
            return;
        Directory.CreateDirectory(cacheDirectory!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(history, ReportJson.Default.PatchHistory), ct);
    }

    private static IEnumerable<(string Commit, string Text)> SplitLog(string log)
    {
        string? commit = null;
        var text = new StringBuilder();
        foreach (var line in log.Split('\n'))
        {
            if (line.StartsWith("commit ", StringComparison.Ordinal) && line.Length == 47)
            {
                if (commit is not null)
                    yield return (commit, text.ToString());
                commit = line[7..];
                text.Clear();
            }
            else
                text.Append(line).Append('\n');
        }
        if (commit is not null)
            yield return (commit, text.ToString());
    }

    /// <summary>Added lines, trimmed, that say something (not blank, not a lone brace).</summary>
    private static IEnumerable<string> SignificantAdded(string diff) =>
        diff.Split('\n')
            .Where(l => l.StartsWith('+') && !l.StartsWith("+++ ", StringComparison.Ordinal))
            .Select(l => l[1..].Trim())
            .Where(l => l.Length > 3);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];
}
