using TritonMesos.Report.Diffs;

namespace TritonMesos.Report;

/// <summary>A patch of the series, parsed once: its header and its file sections.</summary>
internal sealed class PreparedPatch
{
    private PreparedPatch(PatchFile file, IReadOnlyList<DiffSection> files) => (File, Files) = (file, files);

    /// <summary>The patch file (header, trailers, diff text).</summary>
    internal PatchFile File { get; }

    /// <summary>Its file sections.</summary>
    internal IReadOnlyList<DiffSection> Files { get; }

    /// <summary>Parses the diff of <paramref name="file"/>.</summary>
    public static PreparedPatch From(PatchFile file) => new(file, file.Sections);
}

/// <summary>A file after the patch: its new text (null when deleted) and the edits, in the ref's coordinates, that made it.</summary>
internal sealed record FileChange(string Path, TextFile? Before, TextFile? After, IReadOnlyList<Replacement> Edits, bool? EndsWithNewline);

/// <summary>The outcome on one tree plus the resulting files, for applying later patches on top.</summary>
internal sealed class PatchApplication
{
    internal PatchApplication(ApplyResult result, IReadOnlyList<FileChange> changes) => (Result, Changes) = (result, changes);

    /// <summary>How the patch fared.</summary>
    public ApplyResult Result { get; }

    /// <summary>The files it changed (none unless it applied).</summary>
    internal IReadOnlyList<FileChange> Changes { get; }
}

/// <summary>Decides how one patch fares on one tree: strict, reverse (already upstream), missing files, fuzz, then 3-way.</summary>
internal static class PatchApplier
{
    private const int MaxFuzz = 2;

    /// <summary>Applies <paramref name="patch"/> to the tree seen through <paramref name="read"/>; <paramref name="readBlob"/> gives preimage blobs for the 3-way merge.</summary>
    /// <param name="present">When given, answers <c>read(path) is not null</c> without reading the file (tree entry and object header).</param>
    public static PatchApplication Apply(PreparedPatch patch, Func<string, TextFile?> read, Func<string, TextFile?> readBlob, Func<string, bool>? present = null)
    {
        var files = patch.Files.Where(f => !f.IsBinary).ToList();
        // A file changed in place that is absent fails forward and reverse alike: not applicable, decided without reading a file.
        if (present is not null && files.Any(f => !f.IsNewFile && !f.IsDeletedFile && f.OldPath == f.NewPath && !present(f.Path)))
            return NotApplicable(files.Where(f => !f.IsNewFile && !present(f.Path)).Select(f => f.Path).ToList());
        var strict = files.Select(f => Try(f, read(f.Path), 0)).ToList();
        if (strict.All(t => t.Succeeded))
        {
            var maxOffset = strict.SelectMany(t => t.Application!.Hunks).Select(h => Math.Abs(h.Offset)).DefaultIfEmpty(0).Max();
            return Done(maxOffset == 0 ? ApplyStatus.Clean : ApplyStatus.Offset, maxOffset, 0, strict);
        }

        var reverse = files.Select(f => f.Reverse()).Select(f => Try(f, read(f.Path), 0)).ToList();
        if (reverse.All(t => t.Succeeded))
            return Result(ApplyStatus.AlreadyUpstream);

        var missing = files.Where(f => !f.IsNewFile && read(f.Path) is null).Select(f => f.Path).ToList();
        if (missing.Count > 0)
            return NotApplicable(missing);

        var fuzzy = files.Select(f => Try(f, read(f.Path), MaxFuzz)).ToList();
        if (fuzzy.All(t => t.Succeeded))
        {
            var hunks = fuzzy.SelectMany(t => t.Application!.Hunks).ToList();
            return Done(ApplyStatus.Fuzz, hunks.Max(h => Math.Abs(h.Offset)), hunks.Max(h => h.Fuzz), fuzzy);
        }

        var merged = new List<FileChange>();
        var conflicts = new List<HunkConflict>();
        for (var i = 0; i < files.Count; i++)
        {
            if (strict[i].Succeeded)
            {
                merged.Add(strict[i].Change());
                continue;
            }
            var file = files[i];
            var current = read(file.Path);
            var baseFile = file.IsNewFile ? TextFile.Empty : file.OldBlobId is { } id ? readBlob(id) : null;
            var onBase = baseFile is null ? null : HunkApplier.Apply(baseFile, file, 0);
            if (current is null || baseFile is null || onBase is not { Succeeded: true })
            {
                if (fuzzy[i].Succeeded)
                {
                    merged.Add(fuzzy[i].Change());
                    continue;
                }
                conflicts.AddRange(Unmerged(file, current, fuzzy[i].Application,
                    baseFile is null ? "context not found; no 3-way merge (the preimage blob is not in the upstream clone)" : "context not found"));
                continue;
            }
            var merge = ThreeWayMerge.Merge(baseFile, current, onBase.Replacements);
            if (merge.Succeeded)
            {
                merged.Add(new FileChange(file.Path, current, current.Apply(merge.Replacements, onBase.EndsWithNewline), merge.Replacements, onBase.EndsWithNewline));
                continue;
            }
            foreach (var group in merge.Conflicts.GroupBy(c => c.HunkIndex))
            {
                var hunk = file.Hunks[group.Key];
                var first = group.First();
                var upstream = group.SelectMany(c => c.BaseLines.Select(l => "-" + l).Concat(c.UpstreamLines.Select(l => "+" + l))).ToList();
                conflicts.Add(new HunkConflict(file.Path, group.Key + 1, Heading(hunk),
                    AlreadyThere(hunk, current) ? "the hunk's result is already upstream" : "upstream changed the lines under the hunk",
                    Render(hunk), first.UpstreamLine, upstream));
            }
        }
        return conflicts.Count == 0
            ? new PatchApplication(new ApplyResult(ApplyStatus.ThreeWay, 0, 0, [], [], null), merged)
            : new PatchApplication(new ApplyResult(ApplyStatus.Conflict, 0, 0, [], conflicts, null), []);
    }

    /// <summary>Hunks that fail without a usable base: show the upstream text where the hunk fits best.</summary>
    private static IEnumerable<HunkConflict> Unmerged(DiffSection file, TextFile? current, FileApplication? attempt, string reason)
    {
        if (current is null || attempt is null)
        {
            yield return new HunkConflict(file.Path, 0, "", file.IsNewFile ? "the file already exists upstream" : "the file is absent upstream", [], null, []);
            yield break;
        }
        foreach (var outcome in attempt.Hunks.Where(h => h.Fit == HunkFit.Failed))
        {
            var hunk = outcome.Hunk;
            var old = hunk.OldLines.ToArray();
            var (at, _) = BestWindow(current.Lines, old, hunk.OldStart - 1);
            var window = current.Lines.Skip(at).Take(Math.Max(old.Length, 1)).Select(l => " " + l).ToList();
            yield return new HunkConflict(file.Path, outcome.Index + 1, Heading(hunk),
                AlreadyThere(hunk, current) ? "the hunk's result is already upstream" : reason,
                Render(hunk), at + 1, window);
        }
    }

    /// <summary>The position near <paramref name="expected"/> where most of <paramref name="old"/> lines match.</summary>
    private static (int At, int Score) BestWindow(IReadOnlyList<string> lines, string[] old, int expected)
    {
        var best = (At: Math.Clamp(expected, 0, Math.Max(0, lines.Count - 1)), Score: -1);
        for (var at = Math.Max(0, expected - 400); at <= Math.Min(lines.Count - old.Length, expected + 400); at++)
        {
            var score = 0;
            for (var k = 0; k < old.Length; k++)
                if (lines[at + k] == old[k])
                    score++;
            if (score > best.Score || (score == best.Score && Math.Abs(at - expected) < Math.Abs(best.At - expected)))
                best = (at, score);
        }
        return best;
    }

    private static bool AlreadyThere(DiffHunk hunk, TextFile current)
    {
        var added = hunk.Lines.Where(l => l.Kind == '+').ToList();
        if (added.Count == 0)
            return false;
        var result = hunk.NewLines.ToArray();
        return HunkApplier.FindNearest(current.Lines, result, hunk.NewStart - 1, 0) is not null;
    }

    private static IReadOnlyList<string> Render(DiffHunk hunk) => hunk.Lines.Select(l => l.Kind + l.Text).ToList();

    /// <summary>The hunk's header as the report shows it: both counts spelled out, then the section text.</summary>
    private static string Heading(DiffHunk hunk) =>
        $"@@ -{hunk.OldStart},{hunk.OldCount} +{hunk.NewStart},{hunk.NewCount} @@{(hunk.Section.Length > 0 ? " " + hunk.Section : "")}";

    private static PatchApplication Done(ApplyStatus status, int maxOffset, int maxFuzz, IReadOnlyList<FileTry> tries) =>
        new(new ApplyResult(status, maxOffset, maxFuzz, [], [], null), tries.Select(t => t.Change()).ToList());

    private static PatchApplication NotApplicable(IReadOnlyList<string> missing) => new(new ApplyResult(ApplyStatus.NotApplicable, 0, 0, missing, [], null), []);

    private static PatchApplication Result(ApplyStatus status) => new(new ApplyResult(status, 0, 0, [], [], null), []);

    private static FileTry Try(DiffSection file, TextFile? current, int fuzz)
    {
        if (file.IsNewFile)
            return current is null ? new FileTry(file, null, HunkApplier.Apply(TextFile.Empty, file, 0)) : new FileTry(file, current, null);
        return current is null ? new FileTry(file, null, null) : new FileTry(file, current, HunkApplier.Apply(current, file, fuzz));
    }

    private sealed record FileTry(DiffSection Patch, TextFile? Current, FileApplication? Application)
    {
        public bool Succeeded => Application is { Succeeded: true };

        public FileChange Change()
        {
            var before = Current ?? TextFile.Empty;
            var after = Patch.IsDeletedFile ? null : Application!.ApplyTo(before);
            return new FileChange(Patch.IsNewFile ? Patch.NewPath : Patch.Path, Current, after, Application!.Replacements, Application.EndsWithNewline);
        }
    }
}
