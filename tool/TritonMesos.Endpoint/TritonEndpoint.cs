using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TritonMesos.Endpoint;

/// <summary>Starts the Triton-compatible Docker endpoint in this process (from the CLI, from tests, from other tools).</summary>
public static class TritonEndpoint
{
    /// <summary>Binds, starts serving and returns once the listener is ready; dispose the result to stop it.</summary>
    public static async Task<RunningEndpoint> StartAsync(EndpointOptions options, CancellationToken cancellationToken = default)
    {
        var (ip, port) = ParseListen(options.Listen, options.AllowNonLoopback);
        if (!IPAddress.IsLoopback(ip) && options.TlsCertDir is null && !options.AllowInsecure)
            throw new TritonMesosException($"refusing to serve {ip} without TLS: anyone who reaches it would control the engine's containers",
                nextStep: "pass --tls-cert-dir DIR (client certificates required), or --allow-insecure to serve plain HTTP beyond loopback anyway");
        var tls = options.TlsCertDir is null ? null : TlsMaterial.Load(options.TlsCertDir);
        var engine = new EngineClient(options.Engine);
        var log = new EndpointLog(options.LogWriter);
        var handler = new RequestHandler(options, engine, log, tls);
        if (!IPAddress.IsLoopback(ip) && tls is null)
            Console.Error.WriteLine($"WARNING: serving plain HTTP on {ip} (--allow-insecure): anyone who reaches this address controls the engine's containers");
        var gate = new HijackGate(handler);
        if (options.AllFabrics.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new TritonMesosException($"fabric {twice.Key} is configured twice", nextStep: "give each --fabric its own name");
        foreach (var fabric in handler.Fabrics.All)
        {
            try
            {
                await handler.Fabrics.EnsureAsync(fabric, cancellationToken);
            }
            catch (FabricException e)
            {
                engine.Dispose();
                throw new TritonMesosException(e.Message, nextStep: "see docs/endpoint.md, Networks");
            }
            catch (Exception e) when (RequestHandler.IsEngineDown(e))
            {
                break; // the engine is not up yet: each fabric is created on first use
            }
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            // A declared body must keep arriving (240 B/s after 5 s, Kestrel's default): a stalled upload cannot hold a request open.
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(5));
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Listen(ip, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (tls is not null)
                    listen.UseHttps(tls.HttpsOptions());
                listen.Use(next => connection => gate.OnConnectionAsync(connection, next));
            });
        });
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        var app = builder.Build();
        app.Run(handler.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            engine.Dispose();
            await app.DisposeAsync();
            throw new TritonMesosException($"cannot listen on {options.Listen}: {e.Message}",
                nextStep: "pick a free port (or port 0 for any free one)", inner: e);
        }
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var host = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
        return new RunningEndpoint(app, engine, log, $"tcp://{host}:{bound.Port}", tls is not null);
    }

    /// <summary>Parses <c>tcp://HOST:PORT</c>; refuses addresses beyond loopback unless allowed.</summary>
    internal static (IPAddress, int) ParseListen(string listen, bool allowNonLoopback)
    {
        if (!listen.StartsWith("tcp://", StringComparison.Ordinal) || !Uri.TryCreate("http://" + listen[6..], UriKind.Absolute, out var uri)
            || uri.IsDefaultPort && !listen.EndsWith(":80", StringComparison.Ordinal))
            throw new TritonMesosException($"listen address '{listen}' is not tcp://HOST:PORT", nextStep: "e.g. --listen tcp://127.0.0.1:2376");
        var host = uri.Host.Trim('[', ']');
        var ip = host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw new TritonMesosException($"listen host '{uri.Host}' is not an IP address", nextStep: "use tcp://127.0.0.1:PORT");
        if (ip.IsIPv4MappedToIPv6)
            ip = ip.MapToIPv4(); // [::ffff:127.0.0.1] is 127.0.0.1
        if (!IPAddress.IsLoopback(ip) && !allowNonLoopback)
            throw new TritonMesosException($"refusing to listen on {ip}: it is not a loopback address",
                nextStep: "use tcp://127.0.0.1:PORT, or pass --allow-non-loopback to serve beyond this machine");
        return (ip, uri.Port);
    }

    /// <summary>No console hooks: the caller owns the lifetime (the CLI stops on its own cancellation).</summary>
    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>A started endpoint: where it listens and its request log. Dispose to stop.</summary>
public sealed class RunningEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EngineClient _engine;

    internal RunningEndpoint(WebApplication app, EngineClient engine, EndpointLog log, string address, bool tls)
    {
        _app = app;
        _engine = engine;
        Log = log;
        Address = address;
        Tls = tls;
    }

    /// <summary>The bound address as a DOCKER_HOST value, e.g. <c>tcp://127.0.0.1:41234</c>.</summary>
    public string Address { get; }

    /// <summary>The same address as an http(s) URI (for HTTP clients and Docker.DotNet).</summary>
    public Uri HttpUri => new((Tls ? "https://" : "http://") + Address["tcp://".Length..]);

    /// <summary>True when serving TLS with client certificates.</summary>
    public bool Tls { get; }

    /// <summary>Every answered request; refusals name their rule.</summary>
    public EndpointLog Log { get; }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(TimeSpan.FromSeconds(5) is var t ? new CancellationTokenSource(t).Token : default);
        await _app.DisposeAsync();
        _engine.Dispose();
    }
}
