using System.Text.RegularExpressions;

namespace TritonMesos.Endpoint;

/// <summary>
/// A request target exactly as the client sent it: optional <c>/vX.Y</c> prefix, route path and query, never decoded.
/// A path is only routable when it holds no escapes and no empty or dot segments, so the path that is routed, checked and
/// forwarded is one string with one meaning on every side; the query is parsed once and re-encoded from an allow-list.
/// </summary>
internal sealed partial record RequestTarget(string Method, string? VersionPrefix, string Route, string RawQuery, bool Routable)
{
    /// <summary>The path as the client sent it (prefix included).</summary>
    public string Path => (VersionPrefix ?? "") + Route;

    /// <summary>The query parameters, first value of each name (as Go's <c>url.Values.Get</c>), decoded once.</summary>
    public IReadOnlyDictionary<string, string> Query => _query ??= ParseQuery(RawQuery);

    private IReadOnlyDictionary<string, string>? _query;

    /// <summary>Splits a raw request target (<c>IHttpRequestFeature.RawTarget</c> or the hijack head's).</summary>
    public static RequestTarget Parse(string method, string rawTarget)
    {
        var q = rawTarget.IndexOf('?');
        var path = q < 0 ? rawTarget : rawTarget[..q];
        var query = q < 0 ? "" : rawTarget[q..];
        var routable = SafePath().IsMatch(path) && !path.Split('/').Skip(1).Any(s => s is "" or "." or "..");
        var match = PrefixRegex().Match(path);
        return match.Success
            ? new RequestTarget(method, match.Groups[1].Value, match.Groups[2].Value, query, routable)
            : new RequestTarget(method, null, path, query, routable);
    }

    /// <summary>The query to forward: only <paramref name="allowed"/> names, in that order, each value escaped afresh.</summary>
    public string ForwardQuery(IEnumerable<string> allowed, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var parts = new List<string>();
        foreach (var name in allowed)
        {
            string? value = null;
            if (overrides is not null && overrides.TryGetValue(name, out var o))
                value = o;
            else if (Query.TryGetValue(name, out var v))
                value = v;
            if (value is not null)
                parts.Add(name + "=" + Uri.EscapeDataString(value));
        }
        if (overrides is not null)
            foreach (var (name, value) in overrides)
                if (!allowed.Contains(name))
                    parts.Add(name + "=" + Uri.EscapeDataString(value));
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    /// <summary>Query names the client sent that are not in <paramref name="allowed"/> (dropped, logged).</summary>
    public IEnumerable<string> DroppedQuery(IEnumerable<string> allowed) => Query.Keys.Where(k => !allowed.Contains(k));

    private static Dictionary<string, string> ParseQuery(string raw)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in raw.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            if (!TryUnescape(eq < 0 ? pair : pair[..eq], out var name) || !TryUnescape(eq < 0 ? "" : pair[(eq + 1)..], out var value))
                continue; // Go's url.ParseQuery drops a pair with a bad escape
            result.TryAdd(name, value);
        }
        return result;
    }

    private static bool TryUnescape(string s, out string value)
    {
        value = "";
        s = s.Replace('+', ' ');
        if (BadEscape().IsMatch(s))
            return false;
        value = Uri.UnescapeDataString(s);
        return true;
    }

    /// <summary>sdc-docker's route regexes accept <c>(\/v[^\/]+)?</c> in front of every path.</summary>
    [GeneratedRegex(@"^(/v[^/]+)(/.*)$")]
    private static partial Regex PrefixRegex();

    /// <summary>Names, ids, image references and digests need nothing else; no <c>%</c>, so nothing decodes differently.</summary>
    [GeneratedRegex(@"^/[A-Za-z0-9._:@/-]*$")]
    private static partial Regex SafePath();

    [GeneratedRegex(@"%(?![0-9A-Fa-f]{2})")]
    private static partial Regex BadEscape();
}
