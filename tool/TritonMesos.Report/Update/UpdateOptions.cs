namespace TritonMesos.Report.Update;

/// <summary>Start an update, resume it after resolving a conflict, or give it up.</summary>
public enum UpdateMode
{
    Start,
    Continue,
    Abort,
}

/// <summary>What <see cref="SeriesUpdater.UpdateAsync"/> does and where.</summary>
public sealed record UpdateOptions
{
    /// <summary>The triton-mesos repository root.</summary>
    public string RootDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>A local upstream clone; default the pipeline cache (see <see cref="UpstreamLocator"/>).</summary>
    public string? UpstreamPath { get; init; }

    /// <summary>The upstream ref to move to (required to start).</summary>
    public string? Ref { get; init; }

    /// <summary>Start, continue or abort.</summary>
    public UpdateMode Mode { get; init; } = UpdateMode.Start;

    /// <summary>Drop patches that upstream already has instead of stopping on them.</summary>
    public bool DropMerged { get; init; }

    /// <summary>The scratch directory (clone, state, inputs); default <c>&lt;root&gt;/.work/update</c>.</summary>
    public string? ScratchDirectory { get; init; }

    /// <summary>The date written into <c>Last-Update:</c>; default today (UTC).</summary>
    public DateOnly? Today { get; init; }

    /// <summary>Where the per-patch lines and next steps are printed.</summary>
    public TextWriter Output { get; init; } = TextWriter.Null;

    public UpdateOptions WithRootDirectory(string root) => this with { RootDirectory = root };
    public UpdateOptions WithUpstreamPath(string? path) => this with { UpstreamPath = path };
    public UpdateOptions WithRef(string? gitRef) => this with { Ref = gitRef };
    public UpdateOptions WithMode(UpdateMode mode) => this with { Mode = mode };
    public UpdateOptions WithDropMerged(bool dropMerged) => this with { DropMerged = dropMerged };
    public UpdateOptions WithScratchDirectory(string? path) => this with { ScratchDirectory = path };
    public UpdateOptions WithToday(DateOnly? today) => this with { Today = today };
    public UpdateOptions WithOutput(TextWriter output) => this with { Output = output };

    internal string Patches => Path.Combine(RootDirectory, "patches");
    internal string Lock => Path.Combine(RootDirectory, UpstreamLock.FileName);
    internal string Scratch => ScratchDirectory ?? Path.Combine(RootDirectory, ".work", "update");
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
