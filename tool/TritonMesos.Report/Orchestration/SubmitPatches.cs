using System.Text;
using TritonMesos.Report.Cache;
using TritonMesos.Report.Diffs;
using TritonMesos.Report.Git;

namespace TritonMesos.Report;

/// <summary>The ready-to-send patches: each regenerated against the main branch or the newest ref it applies to alone, with a review description.</summary>
internal static class SubmitPatches
{
    /// <summary>One submission per patch, in series order.</summary>
    public static IReadOnlyList<Submission> Build(IReadOnlyList<PatchReport> reports, IReadOnlyList<PreparedPatch> patches,
        IReadOnlyList<List<CellOutcome>> aloneOutcomes, IReadOnlyList<RefInfo> refs, UpstreamRepository repository, OutcomeCache cache, string? upstreamMain)
    {
        var result = new List<Submission>();
        for (var p = 0; p < patches.Count; p++)
        {
            var report = reports[p];
            // Prefer the main branch, then the newest ref (refs are oldest first) the patch applies to on its own.
            var order = Enumerable.Range(0, refs.Count).Reverse().OrderBy(i => refs[i].Name == upstreamMain ? 0 : 1).ToList();
            // A patch the newest upstream already has is not sent again.
            var target = report.Cells[order[0]].Alone.Status == ApplyStatus.AlreadyUpstream ? null
                : order.Cast<int?>().FirstOrDefault(i => report.Cells[i!.Value].Alone.Status.Applies());
            var name = patches[p].File.FileName;
            var descriptionName = Path.ChangeExtension(name, ".review.md");
            if (target is not { } t)
            {
                var why = report.Cells.Any(c => c.Alone.Status == ApplyStatus.AlreadyUpstream)
                    ? "already upstream on " + string.Join(", ", report.Cells.Where(c => c.Alone.Status == ApplyStatus.AlreadyUpstream).Select(c => c.Ref))
                    : "applies to none of the reported refs; rebase it first (`triton-mesos update --ref <ref>`)";
                result.Add(new Submission(new SubmitInfo(null, null, name, descriptionName),
                    File.ReadAllText(patches[p].File.Path), Description(patches[p].File, report, null, why)));
                continue;
            }
            var gitRef = refs[t];
            var cell = report.Cells[t].Alone;
            var outcome = aloneOutcomes[p][t];
            var patchText = File.ReadAllText(patches[p].File.Path);
            // The text depends on the whole patch file, the application's inputs and the files' modes: cached by those (no blob read on a hit).
            var key = OutcomeCache.Key(["submit", OutcomeCache.Hash(patchText), outcome.Key,
                .. outcome.Changes.Select(c => repository.Mode(gitRef.Commit, c.Path) ?? "-")]);
            var text = cache.FindValue(key);
            if (text is null)
            {
                var changes = outcome.Changes.Select(c => c.ToFileChange()).ToList();
                var diff = new StringBuilder();
                foreach (var change in changes)
                    diff.Append(FileSection(change, repository, gitRef.Commit));
                text = MailText(patches[p].File, diff.ToString(), changes);
                cache.AddValue(key, text);
            }
            result.Add(new Submission(new SubmitInfo(gitRef.Name, cell.Status, name, descriptionName), text,
                Description(patches[p].File, report, gitRef, cell.Describe())));
        }
        return result;
    }

    private static string FileSection(FileChange change, UpstreamRepository repository, string commit)
    {
        if (change.Before is null || change.After is null)
        {
            // Creation or deletion: the whole file on one side.
            var created = change.Before is null;
            var text = (created ? change.After : change.Before)!;
            var sb = new StringBuilder();
            sb.Append($"diff --git a/{change.Path} b/{change.Path}\n");
            sb.Append(created ? "new file mode 100644\n" : $"deleted file mode {repository.ReadEntry(commit, change.Path)?.Mode ?? "100644"}\n");
            var id = DiffWriter.BlobId(text);
            sb.Append(created ? $"index {new string('0', 40)}..{id}\n" : $"index {id}..{new string('0', 40)}\n");
            sb.Append(created ? "--- /dev/null\n" : $"--- a/{change.Path}\n");
            sb.Append(created ? $"+++ b/{change.Path}\n" : "+++ /dev/null\n");
            sb.Append($"@@ -{(created ? "0,0" : $"1,{text.Lines.Count}")} +{(created ? $"1,{text.Lines.Count}" : "0,0")} @@\n");
            foreach (var line in text.Lines)
                sb.Append(created ? '+' : '-').Append(line).Append('\n');
            if (!text.EndsWithNewline)
                sb.Append("\\ No newline at end of file\n");
            return sb.ToString();
        }
        var mode = repository.ReadEntry(commit, change.Path)?.Mode ?? "100644";
        return DiffWriter.FileSection(change.Path, mode, change.Before, change.Edits, change.EndsWithNewline);
    }

    /// <summary>The patch as <c>git format-patch</c> writes it, without this project's own trailers.</summary>
    private static string MailText(PatchFile file, string diff, IReadOnlyList<FileChange> changes)
    {
        var sb = new StringBuilder();
        sb.Append("From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\n");
        sb.Append("From: ").Append(file.Author).Append('\n');
        sb.Append("Date: ").Append(file.Date).Append('\n');
        sb.Append("Subject: [PATCH] ").Append(file.Subject).Append("\n\n");
        if (file.Body.Length > 0)
            sb.Append(file.Body).Append('\n');
        var foreign = file.Trailers.Where(t => !PatchFile.KnownKeys.Contains(t.Key)).ToList();
        if (foreign.Count > 0)
        {
            sb.Append('\n');
            foreach (var t in foreign)
                sb.Append(t.Key).Append(": ").Append(t.Value).Append('\n');
        }
        sb.Append("---\n");
        var stats = changes.Select(c => (c.Path, Added: c.Edits.Sum(e => e.NewLines.Count), Removed: c.Edits.Sum(e => e.OldCount))).ToList();
        if (changes.Any(c => c.Before is null || c.After is null))
            stats = changes.Select(c => (c.Path, Added: c.After?.Lines.Count ?? 0, Removed: c.Before?.Lines.Count ?? 0)).ToList();
        var width = stats.Select(s => s.Path.Length).DefaultIfEmpty(0).Max();
        foreach (var (path, added, removed) in stats)
            sb.Append(' ').Append(path.PadRight(width)).Append(" | ").Append(added + removed)
                .Append(' ').Append(new string('+', Math.Min(added, 50))).Append(new string('-', Math.Min(removed, 50))).Append('\n');
        int totalAdded = stats.Sum(s => s.Added), totalRemoved = stats.Sum(s => s.Removed);
        sb.Append($" {stats.Count} file{(stats.Count == 1 ? "" : "s")} changed");
        if (totalAdded > 0) sb.Append($", {totalAdded} insertion{(totalAdded == 1 ? "" : "s")}(+)");
        if (totalRemoved > 0) sb.Append($", {totalRemoved} deletion{(totalRemoved == 1 ? "" : "s")}(-)");
        sb.Append("\n\n").Append(diff);
        return sb.ToString();
    }

    private static string Description(PatchFile file, PatchReport report, RefInfo? target, string state)
    {
        var sb = new StringBuilder();
        sb.Append("# ").Append(file.Subject).Append("\n\n");
        sb.Append(target is null ? $"Not regenerated: {state}.\n\n" : $"Against upstream `{target.Name}` ({target.Commit[..12]}): {state}.\n\n");
        if (file.Body.Length > 0)
            sb.Append(file.Body).Append("\n\n");
        sb.Append("- Feature: ").Append(file.Feature ?? "(none)").Append('\n');
        foreach (var flag in file.RuntimeFlags)
            sb.Append($"- Runtime flag: `--{flag.Name}` ({flag.Side.ToString().ToLowerInvariant()}, {flag.Type}, default `{flag.Default}`: upstream behaviour unchanged by default)\n");
        sb.Append("- Upstream-Status: ").Append(report.UpstreamStatus ?? "(none)").Append('\n');
        if (report.Forwarded is { } forwarded)
            sb.Append("- Forwarded: ").Append(forwarded).Append('\n');
        sb.Append("- Applies (in series order): ").Append(ApplyStatusText.Runs(report.Cells.Select(c => (c.Ref, c.Cumulative.Status)).ToList())).Append('\n');
        return sb.ToString();
    }
}
