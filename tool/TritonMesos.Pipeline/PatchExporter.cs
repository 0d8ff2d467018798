using System.Text;
using System.Text.RegularExpressions;

namespace TritonMesos.Pipeline;

/// <summary>One commit of the work tree in <c>git format-patch</c> form.</summary>
internal sealed record FormattedPatch(string Commit, string SuggestedName, string Subject, byte[] Bytes);

/// <summary>The files an export would write: patches in series order, the series text, and patch files to remove.</summary>
internal sealed record ExportPlan(IReadOnlyList<(string Name, byte[] Bytes, string Commit)> Patches, byte[] Series,
    IReadOnlyList<string> Removed);

/// <summary>Regenerates <c>patches/</c> from the work tree's commits, deterministically.</summary>
internal static partial class PatchExporter
{
    [GeneratedRegex(@"^(?<number>\d{4})-(?<slug>.+)\.patch$")]
    private static partial Regex NumberedName();

    /// <summary>Formats every commit in <c>base..HEAD</c>, oldest first (in memory).</summary>
    public static async Task<IReadOnlyList<FormattedPatch>> FormatAsync(string workDir, string baseCommit, string scratchDir,
        CancellationToken ct)
    {
        if (!(await Git.TryRunAsync(workDir, ["merge-base", "--is-ancestor", baseCommit, "HEAD"], ct)).Succeeded)
            throw new TritonMesosException($"HEAD of {workDir} is not based on the upstream commit {baseCommit}",
                workDir, nextStep: "check out the branch made by `triton-mesos apply` (triton-mesos), or re-apply with --force");
        var merges = (await Git.RunAsync(workDir, ["rev-list", "--merges", $"{baseCommit}..HEAD"], ct)).Trim();
        if (merges.Length > 0)
            throw new TritonMesosException($"the work tree has merge commits ({merges.Split('\n')[0]}); a patch series must be linear",
                workDir, nextStep: "rebase the commits onto the upstream commit (`git rebase`), then export");
        var commits = (await Git.RunAsync(workDir, ["rev-list", "--reverse", $"{baseCommit}..HEAD"], ct))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (commits.Length == 0)
            return [];
        Directory.CreateDirectory(scratchDir);
        try
        {
            // Pinned options so the bytes do not depend on the user's git configuration (see Electron's git.py).
            var names = (await Git.RunAsync(workDir,
                ["-c", "diff.renames=true", "-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false",
                 "-c", "diff.algorithm=myers", "-c", "diff.indentHeuristic=true", "-c", "core.quotePath=true",
                 "format-patch", "--zero-commit", "--full-index", "--no-signature", "--no-numbered", "--no-cover-letter",
                 "--encode-email-headers", "--no-thread", "--no-attach", "--no-notes", "-o", scratchDir, $"{baseCommit}..HEAD"], ct))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (names.Length != commits.Length)
                throw new TritonMesosException($"git format-patch wrote {names.Length} files for {commits.Length} commits", workDir);
            return names.Select((name, i) =>
            {
                var path = Path.IsPathRooted(name) ? name : Path.Combine(workDir, name);
                var bytes = File.ReadAllBytes(path);
                var subject = PatchFile.Parse(path, Encoding.UTF8.GetString(bytes)).Subject;
                var slug = NumberedName().Match(Path.GetFileName(path)).Groups["slug"].Value;
                return new FormattedPatch(commits[i], slug, subject, bytes);
            }).ToList();
        }
        finally
        {
            Directory.Delete(scratchDir, recursive: true);
        }
    }

    /// <summary>
    /// Decides file names and the new series: a commit keeps the name of the patch it came from (same subject, else same
    /// position among <paramref name="applied"/>); new commits get the next <c>NNNN-slug.patch</c>. Series entries that
    /// were not applied (other features) stay; applied ones without a commit are removed. Comments are kept.
    /// </summary>
    public static ExportPlan Plan(string seriesText, IReadOnlyList<SeriesEntry> entries, IReadOnlyList<string> applied,
        Func<string, string?> subjectOf, IReadOnlyList<FormattedPatch> formatted)
    {
        var names = new string?[formatted.Count];
        var used = new HashSet<string>();
        for (var i = 0; i < formatted.Count; i++)
        {
            var match = applied.FirstOrDefault(a => !used.Contains(a) && subjectOf(a) == formatted[i].Subject);
            if (match is not null)
            {
                names[i] = match;
                used.Add(match);
            }
        }
        for (var i = 0; i < formatted.Count; i++)
        {
            if (names[i] is null && i < applied.Count && !used.Contains(applied[i])
                && !formatted.Any(f => f.Subject == subjectOf(applied[i])))
            {
                names[i] = applied[i];
                used.Add(applied[i]);
            }
        }
        var next = entries.Select(e => NumberedName().Match(e.FileName))
            .Where(m => m.Success).Select(m => int.Parse(m.Groups["number"].Value)).DefaultIfEmpty(0).Max() + 1;
        var taken = entries.Select(e => e.FileName).ToHashSet();
        for (var i = 0; i < formatted.Count; i++)
        {
            if (names[i] is not null)
                continue;
            string name;
            do
                name = $"{next++:D4}-{formatted[i].SuggestedName}.patch";
            while (taken.Contains(name));
            names[i] = name;
            taken.Add(name);
        }
        var removed = applied.Where(a => !used.Contains(a)).ToList();

        // Rewrite the series: drop removed entries, insert new ones after their predecessor commit's entry.
        var lines = seriesText.Replace("\r\n", "\n").Split('\n').ToList();
        var trailingNewline = lines.Count > 0 && lines[^1].Length == 0;
        if (trailingNewline)
            lines.RemoveAt(lines.Count - 1);
        var lineOf = entries.ToDictionary(e => e.FileName, e => e.Line - 1);
        var output = new List<string>();
        var insertAfter = new Dictionary<int, List<string>>(); // original line index (-1: before the first entry) → new names
        string? previous = null;
        for (var i = 0; i < formatted.Count; i++)
        {
            if (lineOf.ContainsKey(names[i]!))
            {
                previous = names[i];
                continue;
            }
            var at = previous is not null ? lineOf[previous]
                : entries.Count > 0 ? entries[0].Line - 2 : lines.Count - 1;
            if (!insertAfter.TryGetValue(at, out var list))
                insertAfter[at] = list = [];
            list.Add(names[i]!);
        }
        var removedSet = removed.ToHashSet();
        if (insertAfter.TryGetValue(-1, out var first))
            output.AddRange(first);
        for (var l = 0; l < lines.Count; l++)
        {
            var entry = entries.FirstOrDefault(e => e.Line - 1 == l);
            if (entry is null || !removedSet.Contains(entry.FileName))
                output.Add(lines[l]);
            if (insertAfter.TryGetValue(l, out var added))
                output.AddRange(added);
        }
        var series = string.Join('\n', output) + (trailingNewline || output.Count > 0 ? "\n" : "");
        return new ExportPlan(formatted.Select((f, i) => (names[i]!, f.Bytes, f.Commit)).ToList(), Encoding.UTF8.GetBytes(series),
            removed);
    }
}
