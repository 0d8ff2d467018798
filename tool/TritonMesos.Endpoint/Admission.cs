using System.Security.Cryptography.X509Certificates;

namespace TritonMesos.Endpoint;

/// <summary>
/// The one admission pipeline every request goes through, whether Kestrel serves it or the connection is hijacked
/// (attach, exec start): route allow-list, API version, client certificate, declared body size, then the account's
/// ownership of the container or exec it names. Each step is written once here.
/// </summary>
internal sealed class Admission(EndpointOptions options, TlsMaterial? tls, ContainerBook book)
{
    /// <summary>Routes whose JSON body is read whole (and capped at <see cref="EndpointOptions.MaxJsonBodyBytes"/>).</summary>
    private static readonly HashSet<RouteKind> JsonBodies =
        [RouteKind.Create, RouteKind.ExecCreate, RouteKind.ExecStart, RouteKind.Commit, RouteKind.Auth, RouteKind.Attach];

    /// <summary>The refusal for this request, or null when it may go on (then <see cref="Exchange.Account"/> and <see cref="Exchange.Container"/> are set).</summary>
    public async Task<TritonError?> AdmitAsync(Exchange ex, X509Certificate2? clientCertificate, long? contentLength, CancellationToken ct)
    {
        var route = ex.Route;
        if (route.Kind is RouteKind.Ping or RouteKind.Events || route.Kind == RouteKind.CaPem && tls is not null)
            return null; // no version or authentication, as in sdc-docker
        if (route.Kind is RouteKind.NotFound or RouteKind.CaPem)
            return NotFound(ex);
        if (ApiVersionRule.Check(ex.Request.VersionPrefix) is { } versionError)
            return versionError;
        if (tls is not null)
        {
            if (tls.Authenticate(clientCertificate) is not { } account)
                return new TritonError(401, null, "Unauthorized", "auth.client-certificate");
            ex.Account = account;
        }
        else
            ex.Account = options.Account;
        if (JsonBodies.Contains(route.Kind) && contentLength > options.MaxJsonBodyBytes)
            return TooLarge(options);
        if (QueryRule(ex) is { } queryError)
            return queryError;
        if (route.Id is null || route.Kind is RouteKind.NotImplemented or RouteKind.NetworkInspect or RouteKind.ImageForward or RouteKind.ImagePush)
            return null;
        if (route.Kind is RouteKind.ExecStart or RouteKind.ExecInspect)
        {
            ex.Container = await book.ResolveExecAsync(route.Id, ex.Account, ct);
            return ex.Container is null ? TritonError.Plain(404, $"No such exec instance: {route.Id}", "exec.not-found") : null;
        }
        ex.Container = await book.ResolveAsync(route.Id, ex.Account, ct);
        return ex.Container is null ? TritonError.Plain(404, $"No such container: {route.Id}", "container.not-found") : null;
    }

    /// <summary>Query checks sdc-docker makes before it looks the container up.</summary>
    private static TritonError? QueryRule(Exchange ex) =>
        ex.Route.Kind == RouteKind.Stop && ex.Request.Query.TryGetValue("t", out var t) && !IsInteger(t)
            ? TritonError.Validation("stop timeout parameter must be an integer", "stop.timeout")
            : null;

    private static bool IsInteger(string s) => s.Length > 0 && (s[0] == '-' ? s.Length > 1 && s[1..].All(char.IsAsciiDigit) : s.All(char.IsAsciiDigit));

    /// <summary>restify's answer for a route sdc-docker does not register.</summary>
    public static TritonError NotFound(Exchange ex) =>
        new(404, "ResourceNotFound", $"{ex.Request.Path} does not exist", "route.not-found");

    /// <summary>413 for a JSON body above the cap.</summary>
    public static TritonError TooLarge(EndpointOptions options) =>
        new(413, "RequestEntityTooLarge", $"Request body size exceeds {options.MaxJsonBodyBytes}", "body.too-large");
}
