namespace TritonMesos.Pipeline;

/// <summary>Start an update, resume it after resolving a conflict, or give it up.</summary>
public enum UpdateMode
{
    Start,
    Continue,
    Abort,
}

/// <summary>
/// What <see cref="PatchPipeline.UpdateAsync"/> does. The upstream is a local clone: <see cref="PipelineLocation.UpstreamUrl"/>,
/// else <see cref="PipelineLocation.CacheDir"/>, else the first existing <see cref="RepositoryLayout.UpstreamCacheCandidates"/>.
/// </summary>
public sealed record UpdateOptions(PipelineLocation Location)
{
    /// <summary>The upstream ref to move to (required to start).</summary>
    public string? Ref { get; init; }

    /// <summary>Start, continue or abort.</summary>
    public UpdateMode Mode { get; init; } = UpdateMode.Start;

    /// <summary>Drop patches that upstream already has instead of stopping on them.</summary>
    public bool DropMerged { get; init; }

    /// <summary>The scratch directory (clone, state, inputs); default <see cref="RepositoryLayout.UpdateScratch"/>.</summary>
    public string? ScratchDirectory { get; init; }

    /// <summary>The date written into <c>Last-Update:</c>; default today (UTC).</summary>
    public DateOnly? Today { get; init; }

    public UpdateOptions WithRef(string? gitRef) => this with { Ref = gitRef };
    public UpdateOptions WithMode(UpdateMode mode) => this with { Mode = mode };
    public UpdateOptions WithDropMerged(bool dropMerged) => this with { DropMerged = dropMerged };
    public UpdateOptions WithScratchDirectory(string? path) => this with { ScratchDirectory = path };
    public UpdateOptions WithToday(DateOnly? today) => this with { Today = today };

    /// <summary>The mode of the <c>--continue</c> and <c>--abort</c> switches; both at once is an error.</summary>
    public static UpdateMode ModeOf(bool @continue, bool abort) =>
        @continue && abort ? throw new TritonMesosException("--continue and --abort exclude each other", nextStep: "pass one of them")
        : abort ? UpdateMode.Abort : @continue ? UpdateMode.Continue : UpdateMode.Start;

    internal string Scratch => ScratchDirectory is { } path ? Location.Layout.Resolve(path) : Location.Layout.UpdateScratch;
}
