namespace TritonMesos.E2E.Tests.Fixture;

/// <summary>
/// One data center of a multi-region test: its own private dockerd (the data center's engine), the Triton-compatible
/// endpoint with TLS in front of it, and its fault domain (region, zone) for the agent that fronts it.
/// </summary>
public sealed class DataCenter : IAsyncDisposable
{
    /// <summary>The region (Triton: the data center's name).</summary>
    public string Region { get; }

    /// <summary>The zone of the agent inside the region.</summary>
    public string Zone { get; }

    /// <summary>The data center's engine process.</summary>
    public PrivateDockerd Dockerd { get; }

    /// <summary>The endpoint the agent talks to (tcp://127.0.0.1:PORT, TLS with client certificates).</summary>
    public EndpointHost Endpoint { get; }

    /// <summary>The engine seen directly (assertions only).</summary>
    public Engine Engine { get; }

    private DataCenter(string region, string zone, PrivateDockerd dockerd, EndpointHost endpoint)
    {
        Region = region;
        Zone = zone;
        Dockerd = dockerd;
        Endpoint = endpoint;
        Engine = new Engine(dockerd.Host);
    }

    /// <summary>
    /// Starts the engine (with the test image loaded from the run's engine) and its endpoint; the endpoint's default fabric
    /// is <paramref name="fabricSubnet"/> (default: the engine's own /24) and <paramref name="quiet"/> drops its request log.
    /// </summary>
    public static async Task<DataCenter> StartAsync(E2EContext context, string region, string zone, string logDir, string? fabricSubnet = null, bool quiet = false)
    {
        Directory.CreateDirectory(logDir);
        var dockerd = await PrivateDockerd.StartAsync(Path.Combine(logDir, $"dockerd-{region}.log"));
        try
        {
            await dockerd.LoadImageAsync(context.Engine.Host, TestSupport.DockerEngine.TestImage);
            string[] options = ["--default-fabric-subnet", fabricSubnet ?? dockerd.FabricSubnet, .. quiet ? new[] { "--quiet" } : []];
            var endpoint = await EndpointHost.StartAsync(dockerd.Host, context.Tls.ServerDir, Path.Combine(logDir, $"endpoint-{region}.log"), TimeSpan.FromSeconds(60), options);
            context.Log($"data center {region}: engine {dockerd.Host}, endpoint {endpoint.Url}");
            return new DataCenter(region, zone, dockerd, endpoint);
        }
        catch
        {
            await dockerd.DisposeAsync();
            throw;
        }
    }

    public override string ToString() => $"{Region}/{Zone}";

    public async ValueTask DisposeAsync()
    {
        Engine.Dispose();
        await Endpoint.DisposeAsync();
        await Dockerd.DisposeAsync();
    }
}
