using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace TritonMesos.Endpoint;

/// <summary>The real Docker engine behind the endpoint: pooled HTTP for ordinary calls, raw sockets for hijacked streams.</summary>
internal sealed class EngineClient : IDisposable
{
    private readonly EndPoint _endPoint;
    private readonly SocketsHttpHandler _handler;
    private (Version Min, Version Max)? _versions;

    /// <summary>The engine address as given, e.g. <c>unix:///run/docker.sock</c>.</summary>
    public string Address { get; }

    /// <summary>Pooled client; requests use paths like <c>/v1.41/containers/json</c> relative to <c>http://docker</c>.</summary>
    public HttpClient Http { get; }

    public EngineClient(string address)
    {
        Address = address;
        _endPoint = ParseEndPoint(address);
        _handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) => new NetworkStream(await ConnectSocketAsync(ct), ownsSocket: true),
            UseCookies = false,
            AllowAutoRedirect = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        Http = new HttpClient(_handler, disposeHandler: false) { BaseAddress = new Uri("http://docker"), Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Parses <c>unix:///path</c> or <c>tcp://host:port</c>; anything else is a user error.</summary>
    public static EndPoint ParseEndPoint(string address)
    {
        if (address.StartsWith("unix://", StringComparison.Ordinal))
            return new UnixDomainSocketEndPoint(address["unix://".Length..]);
        if (address.StartsWith("tcp://", StringComparison.Ordinal) && Uri.TryCreate("http://" + address["tcp://".Length..], UriKind.Absolute, out var uri))
            return IPAddress.TryParse(uri.Host, out var ip) ? new IPEndPoint(ip, uri.Port) : new DnsEndPoint(uri.Host, uri.Port);
        throw new TritonMesosException($"engine address '{address}' is neither unix:///path nor tcp://host:port",
            nextStep: "pass --engine unix:///var/run/docker.sock (or tcp://127.0.0.1:2375)");
    }

    /// <summary>A connected socket to the engine (throws SocketException when the engine is down).</summary>
    public async Task<Socket> ConnectSocketAsync(CancellationToken ct)
    {
        var socket = _endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(_endPoint, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The engine's API version range (from <c>/version</c>), cached once known.</summary>
    public async Task<(Version Min, Version Max)> VersionsAsync(CancellationToken ct)
    {
        if (_versions is { } known)
            return known;
        using var response = await Http.GetAsync("/version", ct);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct));
        var max = Version.Parse((string?)json?["ApiVersion"] ?? "1.24");
        var min = Version.Parse((string?)json?["MinAPIVersion"] ?? "1.12");
        _versions = (min, max);
        return (min, max);
    }

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }
}
