using System.Text.RegularExpressions;

namespace TritonMesos;

/// <summary>Yocto's Upstream-Status vocabulary.</summary>
public enum UpstreamStatusKind
{
    Pending,
    Submitted,
    Backport,
    Denied,
    Inappropriate,
}

/// <summary>An <c>Upstream-Status:</c> value such as <c>Backport [1.4.0, 55d7c9f76]</c>.</summary>
public sealed partial record UpstreamStatus(UpstreamStatusKind Kind, string? Detail)
{
    [GeneratedRegex(@"^(?<kind>[A-Za-z]+)\s*(\[(?<detail>[^\]]*)\])?\s*$")]
    private static partial Regex Pattern();

    /// <summary>Parses a header value; null with an error naming the allowed words when unknown.</summary>
    public static UpstreamStatus? TryParse(string value, out string? error)
    {
        error = null;
        var match = Pattern().Match(value.Trim());
        if (!match.Success || !Enum.TryParse<UpstreamStatusKind>(match.Groups["kind"].Value, ignoreCase: false, out var kind))
        {
            error = $"unknown Upstream-Status '{value}'; use one of Pending, Submitted [where], " +
                    "Backport [version, commit], Denied, Inappropriate [reason]";
            return null;
        }
        var detail = match.Groups["detail"].Success ? match.Groups["detail"].Value.Trim() : null;
        return new UpstreamStatus(kind, string.IsNullOrEmpty(detail) ? null : detail);
    }

    public override string ToString() => Detail is null ? Kind.ToString() : $"{Kind} [{Detail}]";
}
