namespace TritonMesos.Report;

/// <summary>One upstream ref of the report: its name, peeled commit and commit date.</summary>
public sealed record RefInfo(string Name, string Commit, string Date);

/// <summary>An upstream commit that carries a patch's change, and how it was found (<c>patch-id</c> or <c>content</c>).</summary>
public sealed record UpstreamCommit(string Commit, string Subject, string FoundBy);

/// <summary>A hunk that does not apply: where, what it expected, and the upstream lines that changed under it.</summary>
public sealed record HunkConflict(string File, int Hunk, string Header, string Reason, IReadOnlyList<string> Expected, int? UpstreamLine,
    IReadOnlyList<string> Upstream);

/// <summary>The outcome of applying one patch to one tree.</summary>
public sealed record ApplyResult(ApplyStatus Status, int MaxOffset, int MaxFuzz, IReadOnlyList<string> MissingFiles,
    IReadOnlyList<HunkConflict> Conflicts, UpstreamCommit? UpstreamCommit)
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
public sealed record PatchCell(string Ref, ApplyResult Cumulative, ApplyResult Alone);

/// <summary>Lines added and removed in one file.</summary>
public sealed record FileStat(string Path, int Added, int Removed);

/// <summary>The ready-to-send form of a patch: which ref it was regenerated against and where it was written.</summary>
public sealed record SubmitInfo(string? Ref, ApplyStatus? Status, string Patch, string Description);

/// <summary>Everything the report says about one patch.</summary>
public sealed record PatchReport(string File, string Subject, string? Feature, IReadOnlyList<string> Flags, string? UpstreamStatus, string? Forwarded,
    string? LastUpdate, string? PatchId, IReadOnlyList<FileStat> Diffstat, IReadOnlyList<PatchCell> Cells, SubmitInfo? Submit)
{
    /// <summary>A copy with the submission info set.</summary>
    public PatchReport WithSubmit(SubmitInfo submit) => this with { Submit = submit };

    /// <summary>"0001" from "0001-name.patch" (the whole name when it has no number).</summary>
    internal static string NumberOf(string fileName)
    {
        var dash = fileName.IndexOf('-');
        return dash > 0 && fileName[..dash].All(char.IsDigit) ? fileName[..dash] : fileName;
    }
}

/// <summary>Whether a feature's Upstream-Status claim holds on one ref, and why.</summary>
public sealed record FeatureCell(string Ref, bool Holds, string Detail);

/// <summary>Everything the report says about one feature of <c>patches/features.json</c> or of a patch header.</summary>
public sealed record FeatureReport(string Id, string Description, IReadOnlyList<string> Flags, string UpstreamStatus, string Evidence,
    IReadOnlyList<string> Patches, string Claim, IReadOnlyList<FeatureCell> Cells);

/// <summary>The pinned upstream the series is maintained against.</summary>
public sealed record LockInfo(string Url, string Ref, string Commit);

/// <summary>The whole report, as serialized to report.json (schema <see cref="SchemaId"/>).</summary>
public sealed record UpstreamReportData(string Schema, LockInfo Lock, IReadOnlyList<RefInfo> Refs, IReadOnlyList<PatchReport> Patches,
    IReadOnlyList<FeatureReport> Features)
{
    /// <summary>The schema id written into report.json; bumped on incompatible changes.</summary>
    public const string SchemaId = "triton-mesos/upstream-report/v1";
}

/// <summary>A ready-to-send patch and its review description, as written to submit/.</summary>
internal sealed record Submission(SubmitInfo Info, string PatchText, string DescriptionText);
