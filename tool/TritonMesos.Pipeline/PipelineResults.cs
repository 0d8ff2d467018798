namespace TritonMesos.Pipeline;

/// <summary>One patch applied as one commit.</summary>
public sealed record AppliedPatch(string FileName, string Commit, string Subject, string? Feature);

/// <summary>The outcome of an apply: the work tree, the commits made, and whether anything had to be done.</summary>
public sealed record AppliedSeries(
    string WorkDir,
    string UpstreamCommit,
    string Head,
    bool UpToDate,
    IReadOnlyList<AppliedPatch> Applied,
    IReadOnlyList<string> Features,
    IReadOnlyList<string> Warnings,
    TimeSpan Elapsed);

/// <summary>The outcome of an export: which files were (re)written, kept, removed.</summary>
public sealed record ExportResult(
    string OutputDir,
    IReadOnlyList<string> Written,
    IReadOnlyList<string> Unchanged,
    IReadOnlyList<string> Removed,
    bool SeriesChanged,
    IReadOnlyList<string> Warnings)
{
    /// <summary>True when nothing on disk changed.</summary>
    public bool NothingChanged => Written.Count == 0 && Removed.Count == 0 && !SeriesChanged;
}

/// <summary>A file whose committed form differs from what a re-export produces.</summary>
public sealed record PatchDifference(string FileName, string UnifiedDiff, bool MissingOnDisk, bool ExtraOnDisk);

/// <summary>The outcome of a verify: problems found, differences from a re-export, and what could not be checked.</summary>
public sealed record VerifyResult(
    IReadOnlyList<TritonMesosException> Problems,
    IReadOnlyList<PatchDifference> Differences,
    IReadOnlyList<string> NotChecked,
    string? FixedPatchesDir)
{
    /// <summary>True when nothing was wrong (things not checked are listed in <see cref="NotChecked"/>).</summary>
    public bool Succeeded => Problems.Count == 0 && Differences.Count == 0;

    /// <summary>The one-line verdict: <c>verify: ok</c> or the numbers of problems and differences.</summary>
    public string Verdict => Succeeded ? "verify: ok" : $"verify: {Problems.Count} problem(s), {Differences.Count} difference(s)";

    /// <summary>Throws with the verdict when something was wrong.</summary>
    public void EnsureSucceeded()
    {
        if (!Succeeded)
            throw new TritonMesosException(Verdict, nextStep: "read the errors above; fixed files are in " + (FixedPatchesDir ?? "artifacts/fixed-patches"));
    }
}

/// <summary>How a commit in the work tree relates to <c>patches/</c>.</summary>
public enum CommitExportState
{
    /// <summary>Its export equals a file in <c>patches/</c> byte for byte.</summary>
    Exported,
    /// <summary>Its export differs from the file in the same series position (edited or amended).</summary>
    Changed,
    /// <summary>No file in <c>patches/</c> corresponds to it.</summary>
    New,
}

/// <summary>A commit on top of the upstream commit in the work tree.</summary>
public sealed record WorkTreeCommit(string Commit, string Subject, string? PatchFile, CommitExportState State);

/// <summary>What the work tree holds.</summary>
public sealed record StatusResult(
    string WorkDir,
    bool Exists,
    string LockCommit,
    string? BaseCommit,
    string? Head,
    IReadOnlyList<WorkTreeCommit> Commits,
    IReadOnlyList<string> UncommittedChanges,
    IReadOnlyList<string>? Features,
    bool InputsChangedSinceApply,
    bool HeadIsAsApplied)
{
    /// <summary>
    /// True when the work tree has work that <c>patches/</c> does not hold. Commits exactly as the last apply made them are
    /// not work even when their export differs from the file (a hand-edited, non-canonical patch file).
    /// </summary>
    public bool HasUnexportedWork => UncommittedChanges.Count > 0
        || (!HeadIsAsApplied && Commits.Any(c => c.State != CommitExportState.Exported));
}

/// <summary>How an update run ended.</summary>
public enum UpdateOutcome
{
    /// <summary>Every patch applied; patches/ and upstream.lock were rewritten.</summary>
    Updated,

    /// <summary>A patch conflicts; the scratch worktree holds the conflict, nothing else changed.</summary>
    Conflict,

    /// <summary>Some patches are already upstream and --drop-merged was not given; nothing changed.</summary>
    MergedUpstream,

    /// <summary>The update was given up; the scratch worktree is gone, nothing else changed.</summary>
    Aborted,
}

/// <summary>What happened to one patch during the update.</summary>
public sealed record PatchUpdate(string File, string Action, string Detail);

/// <summary>The result of one update run.</summary>
public sealed record UpdateResult(UpdateOutcome Outcome, IReadOnlyList<PatchUpdate> Patches, string? Worktree, IReadOnlyList<string> NextCommands)
{
    /// <summary>0 updated or aborted, 2 conflict, 3 already-upstream patches need --drop-merged.</summary>
    public int ExitCode => Outcome switch
    {
        UpdateOutcome.Updated or UpdateOutcome.Aborted => 0,
        UpdateOutcome.Conflict => 2,
        _ => 3,
    };
}
