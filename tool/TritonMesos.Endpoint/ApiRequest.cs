using System.Text.RegularExpressions;

namespace TritonMesos.Endpoint;

/// <summary>A request split the way sdc-docker's routes see it: optional <c>/vX.Y</c> prefix, route path, query.</summary>
internal sealed partial record ApiRequest(string Method, string? VersionPrefix, string Route, string Query)
{
    /// <summary>The path as the client sent it (prefix included).</summary>
    public string Path => (VersionPrefix ?? "") + Route;

    public static ApiRequest Parse(string method, string path, string query)
    {
        var match = PrefixRegex().Match(path);
        return match.Success
            ? new ApiRequest(method, match.Groups[1].Value, match.Groups[2].Value, query)
            : new ApiRequest(method, null, path, query);
    }

    /// <summary>sdc-docker's route regexes accept <c>(\/v[^\/]+)?</c> in front of every path.</summary>
    [GeneratedRegex(@"^(/v[^/]+)(/.*)$")]
    private static partial Regex PrefixRegex();
}
