using System.Text.RegularExpressions;

namespace TritonMesos.Endpoint;

/// <summary>What the endpoint does with a request path.</summary>
internal enum RouteKind
{
    Ping, Events, CaPem, Version, Info, Create, ContainerList, ContainerInspect, Start, Stop, Restart, Kill, Wait,
    Delete, LinkDelete, Logs, Attach, ExecCreate, ExecStart, ExecInspect, ContainerForward, ImagePull, ImageForward, ImagePush,
    Build, Commit, Auth, NetworkList, NetworkInspect, NotImplemented, Volumes, NotFound,
}

/// <summary>
/// A classified route: its kind, the container (or exec) reference when there is one, the feature name for refusals and
/// the query parameters forwarded (every other one is dropped, as Triton ignores it). Anything not listed here gets
/// Triton's unknown-route answer.
/// </summary>
internal sealed partial record Route(RouteKind Kind, string? Id = null, string? Feature = null, string[]? Allowed = null, string? Action = null)
{
    /// <summary>The query names forwarded for this route.</summary>
    public string[] AllowedQuery => Allowed ?? [];

    /// <summary>True for attach and exec start, which hijack the connection.</summary>
    public bool IsHijack => Kind is RouteKind.Attach or RouteKind.ExecStart;

    /// <summary>Maps a route path (prefix removed) and method to what sdc-docker 0.7.11 registers.</summary>
    public static Route Classify(RequestTarget target)
    {
        var (method, path) = (target.Method, target.Route);
        if (path == "/_ping") return new(RouteKind.Ping);
        if (path == "/events") return new(RouteKind.Events, Feature: "events");
        if (!target.Routable) return new(RouteKind.NotFound);
        if (path == "/ca.pem" && method == "GET") return new(RouteKind.CaPem);
        if (path.StartsWith("/volumes", StringComparison.Ordinal)) return new(RouteKind.Volumes);

        var m = ContainerAction().Match(path);
        if (m.Success)
        {
            var id = m.Groups[1].Value;
            var action = m.Groups[2].Value;
            return (method, action) switch
            {
                ("GET", "json") => new(RouteKind.ContainerInspect, id),
                ("POST", "start") => new(RouteKind.Start, id),
                ("POST", "stop") => new(RouteKind.Stop, id, Allowed: ["t"]),
                ("POST", "restart") => new(RouteKind.Restart, id, Allowed: ["t"]),
                ("POST", "kill") => new(RouteKind.Kill, id, Allowed: ["signal"]),
                ("POST", "wait") => new(RouteKind.Wait, id, Allowed: ["condition"]),
                ("GET", "logs") => new(RouteKind.Logs, id, Allowed: ["follow", "timestamps", "tail"]),
                ("POST", "attach") => new(RouteKind.Attach, id, Allowed: ["stream", "stdin", "stdout", "stderr", "logs"]),
                ("POST", "exec") => new(RouteKind.ExecCreate, id),
                ("POST", "pause") => new(RouteKind.NotImplemented, id, "pause"),
                ("POST", "unpause") => new(RouteKind.NotImplemented, id, "unpause"),
                ("GET", "changes") => new(RouteKind.NotImplemented, id, "changes"),
                ("GET", "export") => new(RouteKind.NotImplemented, id, "export"),
                ("GET", "top") => new(RouteKind.ContainerForward, id, Action: action),
                ("GET", "stats") => new(RouteKind.ContainerForward, id, Allowed: ["stream"], Action: action),
                ("POST", "resize") => new(RouteKind.ContainerForward, id, Allowed: ["h", "w"], Action: action),
                ("POST", "rename") => new(RouteKind.ContainerForward, id, Allowed: ["name"], Action: action),
                ("GET", "archive") or ("HEAD", "archive") => new(RouteKind.ContainerForward, id, Allowed: ["path"], Action: action),
                ("PUT", "archive") => new(RouteKind.ContainerForward, id, Allowed: ["path", "noOverwriteDirNonDir"], Action: action),
                ("DELETE", _) when target.Query.ContainsKey("link") => new(RouteKind.LinkDelete, id, Feature: action),
                _ => new(RouteKind.NotFound),
            };
        }
        m = ContainerOnly().Match(path);
        if (m.Success && method == "DELETE")
            return new(RouteKind.Delete, m.Groups[1].Value, Allowed: ["force", "link"]);

        switch (method, path)
        {
            case ("GET", "/version"): return new(RouteKind.Version);
            case ("GET", "/info"): return new(RouteKind.Info);
            case ("POST", "/containers/create"): return new(RouteKind.Create, Allowed: ["name"]);
            case ("GET", "/containers/json"): return new(RouteKind.ContainerList, Allowed: ["all", "limit", "since", "before", "filters"]);
            case ("GET", "/images/json"): return new(RouteKind.ImageForward, Allowed: ["all", "filters", "digests"]);
            case ("GET", "/images/search"): return new(RouteKind.ImageForward, Allowed: ["term", "limit"], Action: "search");
            case ("POST", "/images/create"):
                return target.Query.ContainsKey("fromSrc")
                    ? new(RouteKind.NotImplemented, Feature: "image create")
                    : new(RouteKind.ImagePull, Allowed: ["fromImage", "tag"]);
            case ("POST", "/build"):
                return new(RouteKind.Build, Allowed: ["t", "buildargs", "dockerfile", "forcerm", "labels", "memory", "nocache", "rm"]);
            case ("POST", "/commit"): return new(RouteKind.Commit, Allowed: ["container", "repo", "tag", "comment", "author"]);
            case ("POST", "/auth"): return new(RouteKind.Auth);
            case ("GET", "/networks"): return new(RouteKind.NetworkList);
            case ("POST", "/images/load"): return new(RouteKind.NotImplemented, Feature: "image load");
            case ("GET", "/images/get"): return new(RouteKind.NotImplemented, Feature: "image get");
            case ("POST", "/networks/create"): return new(RouteKind.NotImplemented, Feature: "network create");
            case ("POST", "/networks/prune"): return new(RouteKind.NotImplemented, Feature: "network prune");
        }

        m = ExecAction().Match(path);
        if (m.Success)
            return (method, m.Groups[2].Value) switch
            {
                ("POST", "start") => new(RouteKind.ExecStart, m.Groups[1].Value),
                ("POST", "resize") => new(RouteKind.ExecInspect, m.Groups[1].Value, Allowed: ["h", "w"], Action: "resize"),
                ("GET", "json") => new(RouteKind.ExecInspect, m.Groups[1].Value, Action: "json"),
                _ => new(RouteKind.NotFound),
            };
        m = NetworkAction().Match(path);
        if (m.Success)
            return (method, m.Groups[2].Value) switch
            {
                ("GET", "") => new(RouteKind.NetworkInspect, m.Groups[1].Value),
                ("DELETE", "") => new(RouteKind.NotImplemented, Feature: "network rm"),
                ("POST", "/connect") => new(RouteKind.NotImplemented, Feature: "network connect"),
                ("POST", "/disconnect") => new(RouteKind.NotImplemented, Feature: "network disconnect"),
                _ => new(RouteKind.NotFound),
            };
        m = ImageAction().Match(path);
        if (m.Success)
            return (method, m.Groups[2].Value) switch
            {
                ("GET", "/json") or ("GET", "/history") => new(RouteKind.ImageForward, m.Groups[1].Value),
                ("POST", "/tag") => new(RouteKind.ImageForward, m.Groups[1].Value, Allowed: ["repo", "tag"]),
                ("POST", "/push") => new(RouteKind.ImagePush, m.Groups[1].Value, Allowed: ["tag"]),
                ("DELETE", "") => new(RouteKind.ImageForward, m.Groups[1].Value, Allowed: ["force", "noprune"], Action: "rmi"),
                ("GET", "/get") => new(RouteKind.NotImplemented, Feature: "image get"),
                _ => new(RouteKind.NotFound),
            };
        return new(RouteKind.NotFound);
    }

    [GeneratedRegex(@"^/containers/([a-zA-Z0-9][a-zA-Z0-9_.-]*)/([a-zA-Z0-9][a-zA-Z0-9_.-]*)$")] private static partial Regex ContainerAction();
    [GeneratedRegex(@"^/containers/([a-zA-Z0-9][a-zA-Z0-9_.-]*)$")] private static partial Regex ContainerOnly();
    [GeneratedRegex(@"^/exec/([0-9a-f]{64})/([a-z]+)$")] private static partial Regex ExecAction();
    [GeneratedRegex(@"^/networks/([a-zA-Z0-9][a-zA-Z0-9_.-]*)(/connect|/disconnect)?$")] private static partial Regex NetworkAction();
    [GeneratedRegex(@"^/images/([a-zA-Z0-9][a-zA-Z0-9_.:@/-]*?)(/json|/history|/push|/tag|/get)?$")] private static partial Regex ImageAction();
}
