using System.Text.RegularExpressions;

namespace TritonMesos.Endpoint;

/// <summary>What the endpoint does with a request path.</summary>
internal enum RouteKind
{
    Ping, Events, CaPem, Version, Info, Create, ContainerList, ContainerInspect, Start, Stop, Restart, Kill, Wait,
    Delete, Logs, Hijack, ExecCreate, Forward, NotImplemented, Volumes, NotFound,
}

/// <summary>A classified route: its kind, the container id when there is one, and the feature name for refusals.</summary>
internal sealed partial record Route(RouteKind Kind, string? Id = null, string? Feature = null)
{
    /// <summary>Maps a route path (prefix removed) and method to what sdc-docker 0.7.11 registers.</summary>
    public static Route Classify(string method, string path)
    {
        if (path == "/_ping") return new(RouteKind.Ping);
        if (path == "/events") return new(RouteKind.Events, Feature: "events");
        if (path == "/ca.pem" && method == "GET") return new(RouteKind.CaPem);
        if (path.StartsWith("/volumes", StringComparison.Ordinal)) return new(RouteKind.Volumes);

        var m = ContainerAction().Match(path);
        if (m.Success)
        {
            var id = Uri.UnescapeDataString(m.Groups[1].Value);
            return (method, m.Groups[2].Value) switch
            {
                ("GET", "json") => new(RouteKind.ContainerInspect, id),
                ("POST", "start") => new(RouteKind.Start, id),
                ("POST", "stop") => new(RouteKind.Stop, id),
                ("POST", "restart") => new(RouteKind.Restart, id),
                ("POST", "kill") => new(RouteKind.Kill, id),
                ("POST", "wait") => new(RouteKind.Wait, id),
                ("GET", "logs") => new(RouteKind.Logs, id),
                ("POST", "attach") => new(RouteKind.Hijack, id),
                ("POST", "exec") => new(RouteKind.ExecCreate, id),
                ("POST", "pause") => new(RouteKind.NotImplemented, id, "pause"),
                ("POST", "unpause") => new(RouteKind.NotImplemented, id, "unpause"),
                ("GET", "changes") => new(RouteKind.NotImplemented, id, "changes"),
                ("GET", "export") => new(RouteKind.NotImplemented, id, "export"),
                ("GET", "top") or ("GET", "stats") or ("POST", "resize") or ("POST", "rename") or ("POST", "copy")
                    or ("GET", "archive") or ("HEAD", "archive") or ("PUT", "archive") => new(RouteKind.Forward, id),
                _ => new(RouteKind.NotFound),
            };
        }
        m = ContainerOnly().Match(path);
        if (m.Success && method == "DELETE")
            return new(RouteKind.Delete, Uri.UnescapeDataString(m.Groups[1].Value));

        switch (method, path)
        {
            case ("GET", "/version"): return new(RouteKind.Version);
            case ("GET", "/info"): return new(RouteKind.Info);
            case ("POST", "/containers/create"): return new(RouteKind.Create);
            case ("GET", "/containers/json"): return new(RouteKind.ContainerList);
            case ("GET", "/images/json") or ("POST", "/images/create") or ("GET", "/images/search") or ("POST", "/build")
                or ("POST", "/commit") or ("POST", "/auth") or ("GET", "/networks"):
                return new(RouteKind.Forward);
            case ("POST", "/images/load"): return new(RouteKind.NotImplemented, Feature: "load");
            case ("GET", "/images/get"): return new(RouteKind.NotImplemented, Feature: "save");
            case ("POST", "/networks/create"): return new(RouteKind.NotImplemented, Feature: "network create");
            case ("POST", "/networks/prune"): return new(RouteKind.NotImplemented, Feature: "network prune");
        }

        m = ExecAction().Match(path);
        if (m.Success)
            return (method, m.Groups[2].Value) switch
            {
                ("POST", "start") => new(RouteKind.Hijack, m.Groups[1].Value),
                ("POST", "resize") or ("GET", "json") => new(RouteKind.Forward, m.Groups[1].Value),
                _ => new(RouteKind.NotFound),
            };
        m = NetworkAction().Match(path);
        if (m.Success)
            return (method, m.Groups[2].Value) switch
            {
                ("GET", "") => new(RouteKind.Forward),
                ("DELETE", "") => new(RouteKind.NotImplemented, Feature: "network rm"),
                ("POST", "/connect") => new(RouteKind.NotImplemented, Feature: "network connect"),
                ("POST", "/disconnect") => new(RouteKind.NotImplemented, Feature: "network disconnect"),
                _ => new(RouteKind.NotFound),
            };
        m = ImageAction().Match(path);
        if (m.Success)
            return (method, m.Groups[2].Value) switch
            {
                ("GET", "/json") or ("GET", "/history") or ("POST", "/push") or ("POST", "/tag") or ("DELETE", "") => new(RouteKind.Forward),
                ("GET", "/get") => new(RouteKind.NotImplemented, Feature: "save"),
                _ => new(RouteKind.NotFound),
            };
        return new(RouteKind.NotFound);
    }

    /// <summary>True for the two routes that hijack the connection (attach, exec start).</summary>
    public static bool IsHijack(string method, string path) =>
        method == "POST" && HijackPath().IsMatch(path);

    [GeneratedRegex(@"^/containers/([^/]+)/([a-z]+)$")] private static partial Regex ContainerAction();
    [GeneratedRegex(@"^/containers/([^/]+)$")] private static partial Regex ContainerOnly();
    [GeneratedRegex(@"^/exec/([^/]+)/([a-z]+)$")] private static partial Regex ExecAction();
    [GeneratedRegex(@"^/networks/([^/]+)(/connect|/disconnect)?$")] private static partial Regex NetworkAction();
    [GeneratedRegex(@"^/images/(.+?)(/json|/history|/push|/tag|/get)?$")] private static partial Regex ImageAction();
    [GeneratedRegex(@"^(/v[^/]+)?/(containers/[^/]+/attach|exec/[^/]+/start)$")] private static partial Regex HijackPath();
}
