using System.Net;
using System.Text.Json;
using Docker.DotNet.Models;
using TritonMesos.E2E.Tests.Fixture;

namespace TritonMesos.E2E.Tests.Mesos;

/// <summary>One master of an <see cref="HaCluster"/>: its container, port, work dir (the replicated log lives there) and zone.</summary>
public sealed record MasterNode(int Index, string Name, string ContainerId, int Port, string WorkDir, string Zone)
{
    /// <summary>http://127.0.0.1:PORT</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
}

/// <summary>
/// The production topology on one machine: a ZooKeeper ensemble (3 JVMs), masters from the image in its <c>master</c>
/// mode (profile <c>master</c>: <c>--zk</c>, <c>--quorum</c>, <c>--registry=replicated_log</c>, <c>--domain</c>), each with its own
/// work dir, and one Triton-profile agent per data center (its own engine and TLS endpoint, <c>--domain</c> region = the data
/// center), all registered through ZooKeeper. Masters run with Docker's on-failure restart policy, as under a supervisor:
/// a master that loses its ZooKeeper session exits and is started again.
/// </summary>
public sealed class HaCluster : IAsyncDisposable
{
    /// <summary>The znode under which masters elect a leader and keep the replicated log's replicas.</summary>
    public const string Znode = "/mesos";

    private readonly E2EContext _context;
    private readonly List<MasterNode> _masters = [];
    private readonly Dictionary<string, AgentHandle> _agents = [];
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Unique id of this cluster (label value, container names, work dirs).</summary>
    public string Id { get; }

    /// <summary>The ZooKeeper ensemble.</summary>
    public ZooKeeperEnsemble ZooKeeper { get; }

    /// <summary>The data centers, one agent each.</summary>
    public IReadOnlyList<DataCenter> DataCenters { get; }

    /// <summary>The masters, by index 1..n.</summary>
    public IReadOnlyList<MasterNode> Masters => _masters;

    /// <summary>The region of the masters (the first data center's).</summary>
    public string MasterRegion => DataCenters[0].Region;

    /// <summary>Where this cluster's logs are written.</summary>
    public string LogDir { get; }

    /// <summary>Quorum of the replicated log: a majority of the masters.</summary>
    public int Quorum => _masters.Count / 2 + 1;

    private HaCluster(E2EContext context, string id, ZooKeeperEnsemble zooKeeper, IReadOnlyList<DataCenter> dataCenters, string logDir)
    {
        _context = context;
        Id = id;
        ZooKeeper = zooKeeper;
        DataCenters = dataCenters;
        LogDir = logDir;
    }

    /// <summary>
    /// Starts the ensemble, one data center per (region, zone), <paramref name="masters"/> masters and one agent per data
    /// center; waits (bounded) until a leader has recovered and every agent is registered with its domain.
    /// </summary>
    public static async Task<HaCluster> StartAsync(E2EContext context, string name, IReadOnlyList<(string Region, string Zone)> dataCenters, int masters = 3,
        IReadOnlyList<string>? masterFlags = null)
    {
        var id = $"{name}-{Guid.NewGuid().ToString("N")[..6]}";
        var logDir = Directory.CreateDirectory(Path.Combine(context.LogRoot, id)).FullName;
        var work = Path.Combine(context.WorkRoot, id);
        var zk = await ZooKeeperEnsemble.StartAsync(Path.Combine(work, "zk"), logDir, context.Log);
        var started = new List<DataCenter>();
        HaCluster? cluster = null;
        try
        {
            context.Log($"ZooKeeper {await zk.VersionAsync()}: {await zk.ModesAsync()}");
            foreach (var (region, zone) in dataCenters)
                started.Add(await DataCenter.StartAsync(context, region, zone, logDir));
            cluster = new HaCluster(context, id, zk, started, logDir);
            for (var i = 1; i <= masters; i++)
                await cluster.CreateMasterAsync(i, masters, Path.Combine(work, $"master-{i}"), masterFlags ?? []);
            var leader = await cluster.WaitForLeaderAsync(context.StartTimeout);
            context.Log($"cluster {id}: leader is master {leader.Index} (127.0.0.1:{leader.Port})");
            foreach (var dc in started)
                await cluster.StartAgentAsync(dc, Path.Combine(work, $"agent-{dc.Region}"));
            return cluster;
        }
        catch
        {
            if (cluster is not null)
                await cluster.DisposeAsync();
            else
            {
                foreach (var dc in started)
                    await dc.DisposeAsync();
                await zk.DisposeAsync();
            }
            throw;
        }
    }

    private async Task CreateMasterAsync(int index, int count, string workDir, IReadOnlyList<string> extraFlags)
    {
        Directory.CreateDirectory(workDir);
        var port = Ports.FreeLoopbackPort();
        var name = $"triton-mesos-e2e-master-{Id}-{index}";
        var zone = $"{MasterRegion}-m{index}";
        var create = new CreateContainerParameters
        {
            Image = _context.Image.Id,
            Name = name,
            // The entrypoint's master mode renders profiles/master.json (validated against the flag catalog); the
            // command-line flags are this run's network and work dir.
            Cmd = ["master", "--ip=127.0.0.1", $"--port={port}", "--hostname=127.0.0.1", $"--work_dir={workDir}", .. extraFlags],
            Env =
            [
                "TRITON_MESOS_MASTER_PROFILE=master",
                $"TRITON_MESOS_ZK={ZooKeeper.Url(Znode)}",
                $"TRITON_MESOS_QUORUM={count / 2 + 1}",
                $"TRITON_MESOS_MASTERS={count}",
                $"TRITON_REGION={MasterRegion}",
                $"TRITON_ZONE={zone}",
            ],
            Labels = Labels("master"),
            HostConfig = new HostConfig
            {
                NetworkMode = "host",
                Binds = [$"{workDir}:{workDir}"],
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.OnFailure },
            },
        };
        var created = await _context.Engine.Client.Containers.CreateContainerAsync(create);
        _masters.Add(new MasterNode(index, name, created.ID, port, workDir, zone));
        await _context.Engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        File.AppendAllText(Path.Combine(LogDir, "masters.txt"), $"{name}: cmd {string.Join(' ', create.Cmd)}; env {string.Join(' ', create.Env)}\n");
    }

    /// <summary>The agent fronting <paramref name="dc"/>, once registered.</summary>
    public AgentHandle AgentOf(DataCenter dc) => _agents[dc.Region];

    /// <summary>The data center an agent id belongs to.</summary>
    public DataCenter DataCenterOf(string agentId) => DataCenters.Single(dc => _agents[dc.Region].AgentId == agentId);

    private async Task StartAgentAsync(DataCenter dc, string workDir)
    {
        Directory.CreateDirectory(workDir);
        var port = Ports.FreeLoopbackPort();
        var name = $"triton-mesos-e2e-agent-{Id}-{dc.Region}";
        // The Triton profile renders --domain from TRITON_REGION and TRITON_ZONE; --master is the masters' ZooKeeper URL.
        var spec = AgentSpec.Triton.WithTls(_context.Tls.ClientDir).WithVariable("TRITON_REGION", dc.Region).WithVariable("TRITON_ZONE", dc.Zone)
            with { EndpointUrl = dc.Endpoint.Url };
        var create = AgentLaunch.ForCluster(_context.Image, spec, ZooKeeper.Url(Znode), port, workDir, null);
        create.Name = name;
        create.Labels = Labels("agent");
        File.AppendAllText(Path.Combine(LogDir, "agents.txt"), $"{name}: cmd {string.Join(' ', create.Cmd ?? [])}; env {string.Join(' ', create.Env ?? [])}\n");
        var created = await _context.Engine.Client.Containers.CreateContainerAsync(create);
        await _context.Engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        var pidSuffix = $"@127.0.0.1:{port}";
        var agentId = await Wait.ForAsync($"agent {name} ({dc}) to register with the leading master", _context.StartTimeout, async () =>
        {
            var inspect = await _context.Engine.InspectAsync(created.ID);
            if (inspect is null || !inspect.State.Running)
                throw new FatalWaitException($"the agent container exited (code {inspect?.State.ExitCode}); log tail:\n{await _context.Engine.LogsAsync(created.ID, 40)}");
            return MasterState.Agents(await LeaderStateAsync()).Where(a => a.Pid.EndsWith(pidSuffix, StringComparison.Ordinal) && a.Active)
                .Select(a => a.Id).FirstOrDefault();
        }, TimeSpan.FromSeconds(2));
        _agents[dc.Region] = new AgentHandle(created.ID, name, port, workDir, agentId, spec);
        _context.Log($"agent {name} registered as {agentId} ({dc})");
    }

    /// <summary>
    /// The leading master as a framework finds it: GET /redirect on each master that runs (307 names the leader), or null
    /// when none names one (no leader elected, no ZooKeeper quorum, or every master down).
    /// </summary>
    public async Task<MasterNode?> LeaderAsync(IEnumerable<MasterNode>? ask = null)
    {
        foreach (var master in ask ?? _masters)
        {
            try
            {
                using var response = await _http.GetAsync(new Uri(master.BaseAddress, "/redirect"));
                if (MesosHttp.RedirectTarget(response) is { } leader)
                    return _masters.FirstOrDefault(m => m.Port == leader.Port);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // That master is down or restarting: ask the next one.
            }
        }
        return null;
    }

    /// <summary>Waits (bounded) until a leader is named and its /master/state answers (the registry is recovered).</summary>
    public async Task<MasterNode> WaitForLeaderAsync(TimeSpan timeout, IEnumerable<MasterNode>? ask = null, TimeSpan? interval = null)
    {
        var last = "";
        return await Wait.ForAsync("a leading master with a recovered registry", timeout, async () =>
        {
            var leader = await LeaderAsync(ask);
            last = leader is null ? "no master names a leader" : $"master {leader.Index} named";
            if (leader is null)
                return null;
            var (status, _) = await GetAsync(leader, "/master/state");
            last += $", its /master/state answers {(int)status}";
            return status == HttpStatusCode.OK ? leader : null;
        }, interval ?? TimeSpan.FromMilliseconds(250), () => last);
    }

    /// <summary>/master/state of the current leader (throws when there is none).</summary>
    public async Task<JsonElement> LeaderStateAsync()
    {
        var leader = await LeaderAsync() ?? throw new InvalidOperationException("no leading master");
        return await GetJsonAsync(leader, "/master/state");
    }

    /// <summary>GETs a path on one master: status and body (no redirect followed).</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(MasterNode master, string path)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(master.BaseAddress, path));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (HttpStatusCode.ServiceUnavailable, e.Message);
        }
    }

    /// <summary>GETs a JSON path on one master; throws unless it answers 200.</summary>
    public async Task<JsonElement> GetJsonAsync(MasterNode master, string path)
    {
        var (status, body) = await GetAsync(master, path);
        if (status != HttpStatusCode.OK)
            throw new HttpRequestException($"GET {path} on master {master.Index} answered {(int)status}: {(body.Length > 300 ? body[..300] : body)}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    /// <summary>Kills a master's container with SIGKILL (a crash: its ZooKeeper session is left to expire).</summary>
    public async Task KillMasterAsync(MasterNode master)
    {
        await SaveLogsAsync(master.ContainerId, master.Name + "-before-kill");
        await _context.Engine.Client.Containers.KillContainerAsync(master.ContainerId, new ContainerKillParameters { Signal = "KILL" });
    }

    /// <summary>Starts a stopped master's container again (same flags, same work dir).</summary>
    public Task StartMasterAsync(MasterNode master) =>
        _context.Engine.Client.Containers.StartContainerAsync(master.ContainerId, new ContainerStartParameters());

    /// <summary>Restarts every master at once (docker restart: SIGTERM, then start; work dirs kept).</summary>
    public Task RestartAllMastersAsync() =>
        Task.WhenAll(_masters.Select(async m =>
        {
            await SaveLogsAsync(m.ContainerId, m.Name + "-before-restart");
            await _context.Engine.Client.Containers.RestartContainerAsync(m.ContainerId, new ContainerRestartParameters { WaitBeforeKillSeconds = 10 });
        }));

    /// <summary>Whether a master's container runs, and how often Docker's restart policy has restarted it.</summary>
    public async Task<(bool Running, long RestartCount)> MasterContainerAsync(MasterNode master)
    {
        var inspect = await _context.Engine.InspectAsync(master.ContainerId);
        return inspect is null ? (false, 0) : (inspect.State.Running, inspect.RestartCount);
    }

    /// <summary>Subscribes a framework that finds the leader through the masters' /redirect; REGION_AWARE when asked.</summary>
    public Task<Scheduler> SubscribeAsync(string name, bool regionAware) =>
        Scheduler.SubscribeAsync(_masters.Select(m => m.BaseAddress).ToList(), $"triton-mesos-e2e-{name}", _context.Log, TimeSpan.FromSeconds(90),
            regionAware ? ["REGION_AWARE"] : []);

    /// <summary>A task for this cluster: the test image, labelled for cleanup and lookup.</summary>
    public TaskSpec NewTask(string taskId, string command) =>
        new TaskSpec(taskId, TritonMesos.TestSupport.DockerEngine.TestImage, command)
            .WithLabel(Engine.RunLabel, _context.RunId)
            .WithLabel(Engine.ClusterLabel, Id)
            .WithLabel(MesosCluster.TaskLabel, taskId);

    /// <summary>This cluster's task containers on a data center's engine, running or not.</summary>
    public Task<IList<ContainerListResponse>> TaskContainersAsync(DataCenter dc) => dc.Engine.ContainersAsync(Engine.ClusterLabel, Id);

    private Dictionary<string, string> Labels(string role) => new()
    {
        [Engine.RunLabel] = _context.RunId,
        [Engine.ClusterLabel] = Id,
        ["io.triton-mesos.e2e.role"] = role,
    };

    private Task SaveLogsAsync(string id, string name) => _context.Engine.SaveLogsAsync(id, Path.Combine(LogDir, name + ".log"), _context.Log);

    public async ValueTask DisposeAsync()
    {
        foreach (var container in await _context.Engine.ContainersAsync(Engine.ClusterLabel, Id))
            await SaveLogsAsync(container.ID, container.Names.First().TrimStart('/'));
        var removed = await _context.Engine.RemoveAsync(Engine.ClusterLabel, Id);
        foreach (var dc in DataCenters)
            await dc.DisposeAsync();
        await ZooKeeper.DisposeAsync();
        _http.Dispose();
        _context.Log($"cluster {Id}: removed {removed} container(s), stopped {DataCenters.Count} data centers and ZooKeeper; logs in {LogDir}");
    }
}
