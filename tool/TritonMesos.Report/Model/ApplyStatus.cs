using System.Text.Json;
using System.Text.Json.Serialization;

namespace TritonMesos.Report;

/// <summary>How a patch fares on one upstream ref, best first; JSON names are the members in kebab case (<c>three-way</c>).</summary>
[JsonConverter(typeof(ApplyStatusJson))]
public enum ApplyStatus
{
    /// <summary>Every hunk applies at its header line.</summary>
    Clean,

    /// <summary>Every hunk applies with all context matching, some at other lines.</summary>
    Offset,

    /// <summary>Applies only when ignoring up to two context lines at a hunk's ends.</summary>
    Fuzz,

    /// <summary>Applies only as a 3-way merge from the patch's preimage blobs (<c>git am -3</c> would succeed).</summary>
    ThreeWay,

    /// <summary>Does not apply, even 3-way: some hunk collides with upstream changes.</summary>
    Conflict,

    /// <summary>Upstream already has the change: the patch reverse-applies, or its patch-id is in the ref's history.</summary>
    AlreadyUpstream,

    /// <summary>A file the patch modifies does not exist in the ref.</summary>
    NotApplicable,
}

/// <summary>Reads and writes <see cref="ApplyStatus"/> in kebab case: <c>ThreeWay</c> is <c>three-way</c>.</summary>
internal sealed class ApplyStatusJson() : JsonStringEnumConverter<ApplyStatus>(Naming)
{
    /// <summary>The naming of statuses in JSON and in every output.</summary>
    public static readonly JsonNamingPolicy Naming = JsonNamingPolicy.KebabCaseLower;
}

/// <summary>Labels and colours of <see cref="ApplyStatus"/>, shared by every output.</summary>
internal static class ApplyStatusText
{
    private static readonly string[] Names = Enum.GetValues<ApplyStatus>().Select(s => ApplyStatusJson.Naming.ConvertName(s.ToString())).ToArray();

    /// <summary>The JSON name, e.g. <c>three-way</c>.</summary>
    public static string Name(this ApplyStatus status) => Names[(int)status];

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

    /// <summary>"clean 1.0.0…1.8.1, conflict 1.9.0…master": the status over consecutive runs of refs.</summary>
    public static string Runs(IReadOnlyList<(string Ref, ApplyStatus Status)> cells)
    {
        var parts = new List<string>();
        var i = 0;
        while (i < cells.Count)
        {
            var j = i;
            while (j + 1 < cells.Count && cells[j + 1].Status == cells[i].Status)
                j++;
            parts.Add(i == j ? $"{cells[i].Status.Name()} {cells[i].Ref}" : $"{cells[i].Status.Name()} {cells[i].Ref}…{cells[j].Ref}");
            i = j + 1;
        }
        return string.Join(", ", parts);
    }
}
