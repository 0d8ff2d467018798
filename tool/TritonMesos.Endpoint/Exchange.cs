using System.Diagnostics;

namespace TritonMesos.Endpoint;

/// <summary>One request in flight: its Triton request id, parsed path, route and the account it runs as.</summary>
internal sealed class Exchange(string method, string path, string query)
{
    public string Id { get; } = Guid.NewGuid().ToString();
    public long Started { get; } = Stopwatch.GetTimestamp();
    public ApiRequest Request { get; } = ApiRequest.Parse(method, path, query);
    public Route Route => _route ??= Endpoint.Route.Classify(Request.Method, Request.Route);
    public string Account { get; set; } = "admin";

    /// <summary>Rules that rewrote (rather than refused) the request or answer, for the log line.</summary>
    public List<string> Notes { get; } = [];

    public string ElapsedMs => Stopwatch.GetElapsedTime(Started).TotalMilliseconds.ToString("0") + "ms";

    private Route? _route;
}
