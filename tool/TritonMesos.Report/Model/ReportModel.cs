using System.Text.Json.Serialization;

namespace TritonMesos.Report;

/// <summary>One upstream ref of the report: its name, peeled commit and commit date.</summary>
public sealed record RefInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("commit")] string Commit,
    [property: JsonPropertyName("date")] string Date);

/// <summary>An upstream commit that carries a patch's change, and how it was found (<c>patch-id</c> or <c>content</c>).</summary>
public sealed record UpstreamCommit(
    [property: JsonPropertyName("commit")] string Commit,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("foundBy")] string FoundBy);

/// <summary>A hunk that does not apply: where, what it expected, and the upstream lines that changed under it.</summary>
public sealed record HunkConflict(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("hunk")] int Hunk,
    [property: JsonPropertyName("header")] string Header,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("expected")] IReadOnlyList<string> Expected,
    [property: JsonPropertyName("upstreamLine")] int? UpstreamLine,
    [property: JsonPropertyName("upstream")] IReadOnlyList<string> Upstream);

/// <summary>The outcome of applying one patch to one tree.</summary>
public sealed record ApplyResult(
    [property: JsonPropertyName("status")] ApplyStatus Status,
    [property: JsonPropertyName("maxOffset")] int MaxOffset,
    [property: JsonPropertyName("maxFuzz")] int MaxFuzz,
    [property: JsonPropertyName("missingFiles")] IReadOnlyList<string> MissingFiles,
    [property: JsonPropertyName("conflicts")] IReadOnlyList<HunkConflict> Conflicts,
    [property: JsonPropertyName("upstreamCommit")] UpstreamCommit? UpstreamCommit)
{
    /// <summary>One line for hover text and logs.</summary>
    public string Describe() => Status switch
    {
        ApplyStatus.Clean => "applies cleanly",
        ApplyStatus.Offset => $"applies with offset (up to {MaxOffset} lines)",
        ApplyStatus.Fuzz => $"applies with fuzz {MaxFuzz}" + (MaxOffset != 0 ? $", offset up to {MaxOffset}" : ""),
        ApplyStatus.ThreeWay => "applies only with a 3-way merge",
        ApplyStatus.Conflict => $"conflicts in {string.Join(", ", Conflicts.Select(c => $"{c.File} hunk #{c.Hunk}").Distinct())}",
        ApplyStatus.AlreadyUpstream => UpstreamCommit is { } c ? $"already upstream ({c.Commit[..12]} \"{c.Subject}\", by {c.FoundBy})" : "already upstream (reverse-applies)",
        _ => $"not applicable: {string.Join(", ", MissingFiles)} absent",
    };
}

/// <summary>A patch on one ref, applied on top of the earlier patches (as a rebase would) and alone.</summary>
public sealed record PatchCell(
    [property: JsonPropertyName("ref")] string Ref,
    [property: JsonPropertyName("cumulative")] ApplyResult Cumulative,
    [property: JsonPropertyName("alone")] ApplyResult Alone);

/// <summary>Lines added and removed in one file.</summary>
public sealed record FileStat(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("added")] int Added,
    [property: JsonPropertyName("removed")] int Removed);

/// <summary>The ready-to-send form of a patch: which ref it was regenerated against and where it was written.</summary>
public sealed record SubmitInfo(
    [property: JsonPropertyName("ref")] string? Ref,
    [property: JsonPropertyName("status")] ApplyStatus? Status,
    [property: JsonPropertyName("patch")] string Patch,
    [property: JsonPropertyName("description")] string Description);

/// <summary>Everything the report says about one patch.</summary>
public sealed record PatchReport(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("feature")] string? Feature,
    [property: JsonPropertyName("flags")] IReadOnlyList<string> Flags,
    [property: JsonPropertyName("upstreamStatus")] string? UpstreamStatus,
    [property: JsonPropertyName("forwarded")] string? Forwarded,
    [property: JsonPropertyName("lastUpdate")] string? LastUpdate,
    [property: JsonPropertyName("patchId")] string? PatchId,
    [property: JsonPropertyName("diffstat")] IReadOnlyList<FileStat> Diffstat,
    [property: JsonPropertyName("cells")] IReadOnlyList<PatchCell> Cells,
    [property: JsonPropertyName("submit")] SubmitInfo? Submit)
{
    /// <summary>A copy with the submission info set.</summary>
    public PatchReport WithSubmit(SubmitInfo submit) => this with { Submit = submit };
}

/// <summary>Whether a feature's Upstream-Status claim holds on one ref, and why.</summary>
public sealed record FeatureCell(
    [property: JsonPropertyName("ref")] string Ref,
    [property: JsonPropertyName("holds")] bool Holds,
    [property: JsonPropertyName("detail")] string Detail);

/// <summary>Everything the report says about one feature of <c>patches/features.json</c> or of a patch header.</summary>
public sealed record FeatureReport(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("flags")] IReadOnlyList<string> Flags,
    [property: JsonPropertyName("upstreamStatus")] string UpstreamStatus,
    [property: JsonPropertyName("evidence")] string Evidence,
    [property: JsonPropertyName("patches")] IReadOnlyList<string> Patches,
    [property: JsonPropertyName("claim")] string Claim,
    [property: JsonPropertyName("cells")] IReadOnlyList<FeatureCell> Cells);

/// <summary>The pinned upstream the series is maintained against.</summary>
public sealed record LockInfo(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("ref")] string Ref,
    [property: JsonPropertyName("commit")] string Commit);

/// <summary>The whole report, as serialized to report.json (schema <see cref="SchemaId"/>).</summary>
public sealed record UpstreamReportData(
    [property: JsonPropertyName("schema")] string Schema,
    [property: JsonPropertyName("lock")] LockInfo Lock,
    [property: JsonPropertyName("refs")] IReadOnlyList<RefInfo> Refs,
    [property: JsonPropertyName("patches")] IReadOnlyList<PatchReport> Patches,
    [property: JsonPropertyName("features")] IReadOnlyList<FeatureReport> Features)
{
    /// <summary>The schema id written into report.json; bumped on incompatible changes.</summary>
    public const string SchemaId = "triton-mesos/upstream-report/v1";
}
