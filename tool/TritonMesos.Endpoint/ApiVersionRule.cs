using System.Text.RegularExpressions;

namespace TritonMesos.Endpoint;

/// <summary>sdc-docker's <c>reqClientApiVersion</c> (lib/common.js) and the version the engine is then asked for.</summary>
internal static partial class ApiVersionRule
{
    /// <summary>The refusal for a version prefix, or null when Triton accepts it (no prefix means 1.21).</summary>
    public static TritonError? Check(string? prefix)
    {
        if (prefix is null)
            return null;
        if (!NumericPrefix().IsMatch(prefix))
            return new TritonError(400, "InvalidVersion",
                $"client and server don't have same API version (client : {prefix}, server: {TritonConstants.ApiVersion})", "api-version.malformed");
        var version = prefix[2..];
        // A JavaScript string comparison in sdc-docker: "1.3" and "9.99" pass, "1.100" fails.
        if (string.CompareOrdinal(version, TritonConstants.MinApiVersion) < 0)
            return new TritonError(400, "InvalidVersion",
                $"client API version ({version}) is less than the minimum required API version ({TritonConstants.MinApiVersion})", "api-version.too-old");
        return null;
    }

    /// <summary>The prefix to send to the engine: the client's version clamped to what the engine supports; none stays none.</summary>
    public static string ForwardPrefix(string? prefix, (Version Min, Version Max) engine)
    {
        if (prefix is null)
            return "";
        var wanted = Version.TryParse(prefix[2..], out var v) && v.Build < 0 ? v : engine.Max;
        var clamped = wanted < engine.Min ? engine.Min : wanted > engine.Max ? engine.Max : wanted;
        return $"/v{clamped.Major}.{clamped.Minor}";
    }

    [GeneratedRegex(@"^/v[0-9.]+$")]
    private static partial Regex NumericPrefix();
}
