using TritonMesos.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.E2E.Tests.Fixture;

/// <summary>
/// Shared by every end-to-end test (one collection, run one test at a time): the real engine from DOCKER_HOST, the
/// agent image, the fixture's TLS certificates, and the Triton-compatible endpoint on 127.0.0.1 with TLS in front of the
/// engine. Set up on first use; at the end every container labelled with this run is removed and the endpoint stopped.
/// </summary>
public sealed class E2EFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly object _outputGate = new();
    private ITestOutputHelper? _output;
    private Engine? _engine;
    private FileStream? _alive;
    private EndpointHost? _endpoint;
    private TestCertificates? _tls;
    private (AgentImage? Image, string? Missing)? _image;
    private Exception? _setupFailure;

    /// <summary>Id of this run: label value on everything it starts.</summary>
    public string RunId { get; } = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss") + "-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>Scratch root: work dirs and certificates (deleted at the end).</summary>
    public string WorkRoot { get; }

    /// <summary>Logs and the scenario summary of this run (kept).</summary>
    public string OutRoot { get; }

    /// <summary>The scenario results of this run.</summary>
    public ScenarioLog Scenarios { get; }

    /// <summary>The named fabric network the run's endpoint serves besides its default one, or null.</summary>
    public TritonMesos.Endpoint.FabricNetwork? Fabric { get; private set; }

    public E2EFixture()
    {
        WorkRoot = Path.Combine(Path.GetTempPath(), "triton-mesos-e2e", RunId);
        var outBase = Environment.GetEnvironmentVariable("TRITON_MESOS_E2E_OUT") is { Length: > 0 } o
            ? o
            : Path.Combine(AppContext.BaseDirectory, "e2e-results");
        OutRoot = Path.Combine(outBase, RunId);
        Scenarios = new ScenarioLog(Path.Combine(OutRoot, "summary.tsv"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Engine and endpoint (TLS) ready; skips (or fails under CI) when there is no engine. Does not need the agent image.</summary>
    public async Task<E2EContext> RequireEndpointAsync(ITestOutputHelper output)
    {
        Attach(output);
        var engine = await DockerEngine.RequireAsync();
        await SetUpAsync(engine);
        var image = _image!.Value.Image ?? new AgentImage("(none)", "(none)", null, new Dictionary<string, string>());
        return Context(image);
    }

    /// <summary>Everything for a Mesos cluster; skips with the printed reason when the agent image is missing (also under CI).</summary>
    public async Task<E2EContext> RequireClusterAsync(ITestOutputHelper output)
    {
        var context = await RequireEndpointAsync(output);
        if (_image!.Value.Image is null)
        {
            var reason = "agent image missing: " + _image.Value.Missing;
            output.WriteLine("SKIP: " + reason);
            Skip.If(true, reason);
        }
        return context;
    }

    /// <summary>Runs one scenario and records its result for the summary.</summary>
    public Task RunScenarioAsync(string scenario, string feature, ITestOutputHelper output, Func<Task> body) =>
        Scenarios.RunAsync(scenario, feature, _image?.Image?.Describe() ?? "(no image)", output, body);

    /// <summary>Runs one scenario whose body returns a detail for the summary (e.g. measured times), and records both.</summary>
    public Task RunScenarioAsync(string scenario, string feature, ITestOutputHelper output, Func<Task<string>> body) =>
        Scenarios.RunAsync(scenario, feature, _image?.Image?.Describe() ?? "(no image)", output, body);

    private E2EContext Context(AgentImage image) =>
        new(RunId, _engine!, image, _tls!, _endpoint?.Url, WorkRoot, Path.Combine(OutRoot, "logs"), Log);

    private async Task SetUpAsync(DockerEngine engine)
    {
        await _gate.WaitAsync();
        try
        {
            if (_setupFailure is not null)
                throw new InvalidOperationException("end-to-end setup failed earlier: " + _setupFailure.Message, _setupFailure);
            if (_endpoint is not null)
                return;
            try
            {
                Directory.CreateDirectory(WorkRoot);
                _alive = new FileStream(AliveMarker(RunId), FileMode.Create, FileAccess.ReadWrite, FileShare.None);
                Directory.CreateDirectory(Path.Combine(OutRoot, "logs"));
                _engine = new Engine(engine.Host);
                var stale = await _engine.RemoveRunsAsync(RunId, IsAlive);
                if (stale > 0)
                    Log($"removed {stale} container(s) left by an earlier, interrupted run");
                _image = await AgentImage.FindAsync(_engine.Client);
                if (_image.Value.Image is { } candidate && await candidate.MissingBinariesAsync(_engine.Client, Engine.RunLabel, RunId) is { } lacks)
                    _image = (null, lacks);
                Log(_image.Value.Image is { } found ? "agent image: " + found.Describe() : "agent image: none (" + _image.Value.Missing + ")");
                _tls = TestCertificates.Create(Path.Combine(WorkRoot, "tls"));
                // Subnets no other bridge of this host uses (other engines may run here: private E2E engines, other checkouts).
                var defaultSubnet = await TestSubnets.ForEngineNetworkAsync(engine, TritonMesos.Endpoint.FabricNetwork.Default.EngineName);
                Fabric = TritonMesos.Endpoint.FabricNetwork.Create("--fabric", "e2e-backend",
                    await TestSubnets.ForEngineNetworkAsync(engine, TritonMesos.Endpoint.FabricNetwork.EngineNameOf("e2e-backend")));
                _endpoint = await EndpointHost.StartAsync(engine.Host, _tls.ServerDir, Path.Combine(OutRoot, "logs", "endpoint.log"), TimeSpan.FromSeconds(60),
                    "--default-fabric-subnet", defaultSubnet, "--fabric", $"{Fabric.Name}={Fabric.Subnet}");
                Log($"endpoint: {_endpoint.Url} (TLS, client certificates required) → {engine.Host}");
            }
            catch (Exception e)
            {
                _setupFailure = e;
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The endpoint's log tail (for failure messages).</summary>
    public string EndpointLogTail(int lines = 40) => _endpoint?.Tail(lines) ?? "(no endpoint)";

    private void Attach(ITestOutputHelper output)
    {
        lock (_outputGate)
            _output = output;
    }

    private void Log(string line)
    {
        var stamped = $"[{DateTime.UtcNow:HH:mm:ss}] {line}";
        lock (_outputGate)
        {
            try
            {
                _output?.WriteLine(stamped);
            }
            catch (InvalidOperationException)
            {
                // The test that owned the output has finished (a background scheduler logging late).
            }
            try
            {
                Directory.CreateDirectory(Path.Combine(OutRoot, "logs"));
                File.AppendAllText(Path.Combine(OutRoot, "logs", "run.log"), stamped + "\n");
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The file a run keeps locked while it is going (under its work root, shared by every checkout on this host).</summary>
    private static string AliveMarker(string runId) => Path.Combine(Path.GetTempPath(), "triton-mesos-e2e", runId, ".alive");

    /// <summary>Whether run <paramref name="runId"/> is still going: its marker exists and another process holds its lock.</summary>
    private static bool IsAlive(string runId)
    {
        var marker = AliveMarker(runId);
        if (runId.Length == 0 || !File.Exists(marker))
            return false;
        try
        {
            using var probe = new FileStream(marker, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public async Task DisposeAsync()
    {
        if (_endpoint is not null)
            await _endpoint.DisposeAsync();
        if (_engine is not null)
        {
            var removed = await _engine.RemoveRunsAsync(RunId, IsAlive);
            Log($"end of run {RunId}: removed {removed} labelled container(s)");
            _engine.Dispose();
        }
        _alive?.Dispose();
        try
        {
            if (Directory.Exists(WorkRoot))
                Directory.Delete(WorkRoot, recursive: true);
        }
        catch (IOException e)
        {
            Log($"could not delete {WorkRoot}: {e.Message}");
        }
        if (Scenarios.Results.Count > 0)
            Log("summary: " + Path.Combine(OutRoot, "summary.md"));
    }
}

/// <summary>All end-to-end tests share one fixture and run one at a time (they share the engine and the CPU).</summary>
[CollectionDefinition(Name)]
public sealed class E2ECollection : ICollectionFixture<E2EFixture>
{
    public const string Name = "e2e";
}
