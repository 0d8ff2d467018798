using System.Text.RegularExpressions;

namespace TritonMesos.Image;

/// <summary>A googletest filter (<c>positive:patterns[-negative:patterns]</c>, <c>*</c> and <c>?</c> wildcards) and the test names it selects.</summary>
public sealed record GtestFilter(IReadOnlyList<string> Positive, IReadOnlyList<string> Negative)
{
    /// <summary>Parses a <c>--gtest_filter</c> value; an empty positive part selects every test, as in googletest.</summary>
    public static GtestFilter Parse(string filter)
    {
        var dash = filter.IndexOf('-', StringComparison.Ordinal);
        var positive = dash < 0 ? filter : filter[..dash];
        var negative = dash < 0 ? "" : filter[(dash + 1)..];
        return new GtestFilter(Split(positive) is { Count: > 0 } p ? p : ["*"], Split(negative));
    }

    /// <summary>Whether googletest would run <paramref name="fullName"/> (<c>Suite.Name</c>, with any <c>Prefix/</c> and <c>/Param</c>).</summary>
    public bool Matches(string fullName) =>
        Positive.Any(p => Wildcard(p, fullName)) && !Negative.Any(n => Wildcard(n, fullName));

    /// <summary>The filter as googletest takes it.</summary>
    public override string ToString() => string.Join(':', Positive) + (Negative.Count > 0 ? "-" + string.Join(':', Negative) : "");

    private static List<string> Split(string part) => part.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static bool Wildcard(string pattern, string name) =>
        Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.CultureInvariant);
}
