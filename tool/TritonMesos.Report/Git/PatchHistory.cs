using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TritonMesos.Report.Git;

/// <summary>Upstream commits that may carry a patch's change: same <c>git patch-id --stable</c>, or most of its added lines.</summary>
public sealed record PatchHistory(
    [property: JsonPropertyName("patchId")] string? PatchId,
    [property: JsonPropertyName("samePatchId")] IReadOnlyList<string> SamePatchId,
    [property: JsonPropertyName("byContent")] IReadOnlyList<string> ByContent);

/// <summary>Searches upstream history (limited to the patch's files) with the git CLI; results are cached on disk by input hash.</summary>
public sealed class PatchHistoryFinder(string upstreamPath, string? cacheDirectory)
{
    /// <summary>Share of a patch's significant added lines an upstream commit must add to be named "by content".</summary>
    private const double ContentThreshold = 0.6;

    /// <summary>Finds the commits reachable from <paramref name="tips"/> that touch <paramref name="files"/> and match the patch.</summary>
    public async Task<PatchHistory> FindAsync(string patchText, IReadOnlyList<string> files, IReadOnlyList<string> tips, CancellationToken ct)
    {
        var key = Hash(string.Join('\n', tips.Order(StringComparer.Ordinal)) + "\n--\n" + string.Join('\n', files) + "\n--\n" + patchText);
        var cachePath = cacheDirectory is null ? null : System.IO.Path.Combine(cacheDirectory, $"history-{key}.json");
        if (cachePath is not null && File.Exists(cachePath))
        {
            try
            {
                if (JsonSerializer.Deserialize(await File.ReadAllTextAsync(cachePath, ct), ReportJsonContext.Default.PatchHistory) is { } cached)
                    return cached;
            }
            catch (JsonException)
            {
                // A damaged cache entry is recomputed.
            }
        }

        var ownId = (await GitCli.RunAsync(upstreamPath, ["patch-id", "--stable"], patchText, cancellationToken: ct))
            .StandardOutput.Split(' ', 2)[0].Trim();
        var log = await GitCli.RunCheckedAsync(upstreamPath,
            ["log", "-p", "--no-merges", "--no-color", "--no-ext-diff", "--format=commit %H", .. tips, "--", .. files], cancellationToken: ct);
        var ids = await GitCli.RunAsync(upstreamPath, ["patch-id", "--stable"], log, cancellationToken: ct);
        var same = ownId.Length == 0 ? [] : ids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .Where(p => p.Length == 2 && p[0] == ownId)
            .Select(p => p[1])
            .Distinct()
            .ToList();

        var wanted = SignificantAdded(patchText).ToHashSet(StringComparer.Ordinal);
        var byContent = new List<(string Commit, double Share)>();
        if (wanted.Count > 0)
        {
            foreach (var (commit, text) in SplitLog(log))
            {
                var added = SignificantAdded(text).ToHashSet(StringComparer.Ordinal);
                var share = wanted.Count(added.Contains) / (double)wanted.Count;
                if (share >= ContentThreshold)
                    byContent.Add((commit, share));
            }
        }
        var history = new PatchHistory(ownId.Length == 0 ? null : ownId, same,
            byContent.OrderByDescending(c => c.Share).Select(c => c.Commit).Where(c => !same.Contains(c)).Take(10).ToList());
        if (cachePath is not null)
        {
            Directory.CreateDirectory(cacheDirectory!);
            await File.WriteAllTextAsync(cachePath, JsonSerializer.Serialize(history, ReportJsonContext.Default.PatchHistory), ct);
        }
        return history;
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
