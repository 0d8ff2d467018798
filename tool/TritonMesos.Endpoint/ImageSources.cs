using System.Text.RegularExpressions;

namespace TritonMesos.Endpoint;

/// <summary>
/// Where the engine may fetch images from: only the registries configured on the endpoint (<c>--registry</c>, default
/// Docker Hub). Image references name their registry the way Docker parses them; a loopback address, a host name or
/// any registry not listed is refused before the engine could reach it.
/// </summary>
internal static partial class ImageSources
{
    /// <summary>The registry host of an image reference (Docker's rule: a first component with '.' or ':' or "localhost" is a host).</summary>
    public static string RegistryOf(string reference)
    {
        var slash = reference.IndexOf('/');
        if (slash < 0)
            return "docker.io";
        var first = reference[..slash];
        return first.Contains('.') || first.Contains(':') || first == "localhost" ? Normalize(first) : "docker.io";
    }

    /// <summary>The registry host of an <c>/auth</c> serveraddress (a URL or a bare host).</summary>
    public static string RegistryOfServer(string serverAddress)
    {
        if (serverAddress.Length == 0)
            return "docker.io";
        var host = Uri.TryCreate(serverAddress, UriKind.Absolute, out var uri) && uri.Host.Length > 0
            ? uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port
            : serverAddress.Split('/')[0];
        return Normalize(host);
    }

    /// <summary>The refusal for a registry not configured on the endpoint, or null.</summary>
    public static TritonError? Check(string registry, IReadOnlyList<string> allowed, string what) =>
        allowed.Contains(registry, StringComparer.OrdinalIgnoreCase)
            ? null
            : new TritonError(403, "NotAuthorized",
                $"{what}: registry {registry} is not one this endpoint serves images from ({(allowed.Count == 0 ? "none" : string.Join(", ", allowed))}); see --registry", "image.registry");

    private static string Normalize(string host) =>
        host.ToLowerInvariant() is "index.docker.io" or "registry-1.docker.io" or "registry.hub.docker.com" ? "docker.io" : host.ToLowerInvariant();
}
