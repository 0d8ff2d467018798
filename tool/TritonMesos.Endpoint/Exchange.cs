using System.Diagnostics;

namespace TritonMesos.Endpoint;

/// <summary>One request in flight: its Triton request id, raw target, route, the account it runs as and the container it acts on.</summary>
internal sealed class Exchange(string method, string rawTarget)
{
    public string Id { get; } = Guid.NewGuid().ToString();
    public long Started { get; } = Stopwatch.GetTimestamp();
    public RequestTarget Request { get; } = RequestTarget.Parse(method, rawTarget);
    public Route Route => _route ??= Endpoint.Route.Classify(Request);
    public string Account { get; set; } = "admin";

    /// <summary>The account's container the route names, resolved by admission (its full id is what the engine gets).</summary>
    public OwnedContainer? Container { get; set; }

    /// <summary>Rules that rewrote (rather than refused) the request or answer, for the log line.</summary>
    public List<string> Notes { get; } = [];

    public string ElapsedMs => Stopwatch.GetElapsedTime(Started).TotalMilliseconds.ToString("0") + "ms";

    /// <summary>The path sent to the engine: the route with the checked container (or exec) id in place of the client's reference.</summary>
    public string EngineRoute => Route.Kind switch
    {
        _ when Container is null || Route.Id is null => Request.Route,
        RouteKind.ExecStart or RouteKind.ExecInspect => Request.Route,
        RouteKind.Delete => "/containers/" + Container.Id,
        _ => $"/containers/{Container.Id}/{Request.Route.Split('/')[3]}",
    };

    private Route? _route;
}
