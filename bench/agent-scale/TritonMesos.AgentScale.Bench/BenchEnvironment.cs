using TritonMesos.E2E.Tests.Fixture;
using TritonMesos.TestSupport;

namespace TritonMesos.AgentScale.Bench;

/// <summary>
/// What every run shares: the engine that runs the master and agent containers (DOCKER_HOST), the agent image, the
/// certificates, and a private dockerd (the "data center") behind the Triton-compatible endpoint with TLS.
/// </summary>
public sealed class BenchEnvironment : IAsyncDisposable
{
    /// <summary>The prefix length of the private engine's fabric subnet: room for 1,000+ containers (a /24 holds 254).</summary>
    public const int FabricPrefixLength = 21;

    private BenchEnvironment(E2EContext context, DataCenter dataCenter, TextWriter console)
    {
        Context = context;
        DataCenter = dataCenter;
        Console = console;
    }

    /// <summary>Engine, image, certificates and directories, as the E2E scenarios get them; EndpointUrl is the data center's endpoint.</summary>
    public E2EContext Context { get; }

    /// <summary>The private dockerd the tasks' containers land on, with the endpoint (TLS) in front of it.</summary>
    public DataCenter DataCenter { get; }

    /// <summary>The bench's own console (the in-process endpoint routes Console to its log).</summary>
    public TextWriter Console { get; }

    private volatile bool _stopRequested;

    /// <summary>Set by SIGINT/SIGTERM: the running burst stops launching and tears down, no further burst starts.</summary>
    public bool StopRequested => _stopRequested;

    /// <summary>Asks the bench to stop after tearing the current burst down.</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>Writes a time-stamped progress line to the console and the run log.</summary>
    public void Log(string line) => Context.Log(line);

    /// <summary>Sets everything up; throws <see cref="BenchUsageException"/> when a prerequisite is missing.</summary>
    public static async Task<BenchEnvironment> StartAsync(BenchOptions options)
    {
        var console = System.Console.Out;
        var runId = "agent-scale-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss");
        var logRoot = Directory.CreateDirectory(Path.Combine(options.Out, "logs")).FullName;
        var runLog = Path.Combine(options.Out, "run.log");
        void Log(string line)
        {
            var stamped = $"[{DateTime.UtcNow:HH:mm:ss}] {line}";
            lock (console)
            {
                console.WriteLine(stamped);
                console.Flush();
                File.AppendAllText(runLog, stamped + "\n");
            }
        }

        if (PrivateDockerd.Unavailable() is { } why)
            throw new BenchUsageException("no private dockerd: " + why, "run as root on a machine with Debian's docker.io");
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock";
        var shared = new Engine(host);
        var (image, missing) = await FindImageAsync(shared, options.Image);
        if (image is null)
            throw new BenchUsageException("agent image: " + missing, "build it (`./build.sh Build`) or pass an existing tag with --image");
        try
        {
            await shared.Client.Images.InspectImageAsync(DockerEngine.TestImage);
        }
        catch (Docker.DotNet.DockerImageNotFoundException)
        {
            throw new BenchUsageException($"{DockerEngine.TestImage} is not on {host}", "run the E2E or endpoint tests once (they import it from busybox-static)");
        }

        var workRoot = Directory.CreateDirectory(Path.Combine("/tmp", "tm-agent-scale-" + Guid.NewGuid().ToString("N")[..6])).FullName;
        var tls = TestCertificates.Create(Path.Combine(workRoot, "tls"));
        var context = new E2EContext(runId, shared, image, tls, null, workRoot, logRoot, Log);
        var fabricSubnet = TestSubnets.Free(FabricPrefixLength);
        var dataCenter = await DataCenter.StartAsync(context, "agent-scale", "agent-scale-1", logRoot, fabricSubnet, quiet: true);
        Log($"agent image {image.Describe()}; endpoint {dataCenter.Endpoint.Url} (TLS) → {dataCenter.Dockerd.Host}, fabric {fabricSubnet}");
        return new BenchEnvironment(context with { EndpointUrl = dataCenter.Endpoint.Url }, dataCenter, console);
    }

    private static async Task<(AgentImage? Image, string? Missing)> FindImageAsync(Engine shared, string reference)
    {
        var previous = Environment.GetEnvironmentVariable(AgentImage.OverrideVariable);
        Environment.SetEnvironmentVariable(AgentImage.OverrideVariable, reference);
        try
        {
            return await AgentImage.FindAsync(shared.Client);
        }
        finally
        {
            Environment.SetEnvironmentVariable(AgentImage.OverrideVariable, previous);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DataCenter.DisposeAsync();
        Context.Engine.Dispose();
        try
        {
            Directory.Delete(Context.WorkRoot, recursive: true);
        }
        catch (IOException e)
        {
            Log($"could not delete {Context.WorkRoot}: {e.Message}");
        }
    }
}
