using System.Text.Json.Serialization;

namespace TritonMesos.Report;

/// <summary>How a patch fares on one upstream ref, best first.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApplyStatus>))]
public enum ApplyStatus
{
    /// <summary>Every hunk applies at its header line.</summary>
    [JsonStringEnumMemberName("clean")] Clean,

    /// <summary>Every hunk applies with all context matching, some at other lines.</summary>
    [JsonStringEnumMemberName("offset")] Offset,

    /// <summary>Applies only when ignoring up to two context lines at a hunk's ends.</summary>
    [JsonStringEnumMemberName("fuzz")] Fuzz,

    /// <summary>Applies only as a 3-way merge from the patch's preimage blobs (<c>git am -3</c> would succeed).</summary>
    [JsonStringEnumMemberName("three-way")] ThreeWay,

    /// <summary>Does not apply, even 3-way: some hunk collides with upstream changes.</summary>
    [JsonStringEnumMemberName("conflict")] Conflict,

    /// <summary>Upstream already has the change: the patch reverse-applies, or its patch-id is in the ref's history.</summary>
    [JsonStringEnumMemberName("already-upstream")] AlreadyUpstream,

    /// <summary>A file the patch modifies does not exist in the ref.</summary>
    [JsonStringEnumMemberName("not-applicable")] NotApplicable,
}

/// <summary>Labels and colours of <see cref="ApplyStatus"/>, shared by every output.</summary>
public static class ApplyStatusText
{
    /// <summary>The JSON name, e.g. <c>three-way</c>.</summary>
    public static string Name(this ApplyStatus status) => status switch
    {
        ApplyStatus.Clean => "clean",
        ApplyStatus.Offset => "offset",
        ApplyStatus.Fuzz => "fuzz",
        ApplyStatus.ThreeWay => "three-way",
        ApplyStatus.Conflict => "conflict",
        ApplyStatus.AlreadyUpstream => "already-upstream",
        _ => "not-applicable",
    };

    /// <summary>A short cell label for tables.</summary>
    public static string Short(this ApplyStatus status) => status switch
    {
        ApplyStatus.Clean => "ok",
        ApplyStatus.Offset => "offset",
        ApplyStatus.Fuzz => "fuzz",
        ApplyStatus.ThreeWay => "3-way",
        ApplyStatus.Conflict => "CONFLICT",
        ApplyStatus.AlreadyUpstream => "upstream",
        _ => "n/a",
    };

    /// <summary>The fill colour of a matrix cell.</summary>
    public static string Colour(this ApplyStatus status) => status switch
    {
        ApplyStatus.Clean => "#2e9e44",
        ApplyStatus.Offset => "#7cc46a",
        ApplyStatus.Fuzz => "#d6c73a",
        ApplyStatus.ThreeWay => "#f0a030",
        ApplyStatus.Conflict => "#d9383a",
        ApplyStatus.AlreadyUpstream => "#3b7dd8",
        _ => "#a0a0a0",
    };

    /// <summary>True when a rebase onto the ref would carry the patch without a human.</summary>
    public static bool Applies(this ApplyStatus status) => status <= ApplyStatus.ThreeWay;
}
