using System.Text.Json;
using Docker.DotNet.Models;
using TritonMesos.E2E.Tests.Fixture;

namespace TritonMesos.E2E.Tests.Mesos;

/// <summary>A running agent container.</summary>
public sealed record AgentHandle(string ContainerId, string Name, int Port, string WorkDir, string AgentId, AgentSpec Spec);

/// <summary>
/// One test's Mesos: a master container and agent containers from the agent image, all on the host network and
/// 127.0.0.1, labelled with the run and cluster ids so they (and the task containers) are removed at the end.
/// </summary>
public sealed partial class MesosCluster : IAsyncDisposable
{
    private readonly E2EContext _context;
    private readonly List<string> _containers = [];
    private int _agents;
    private int _masters;
    private string? _masterContainer;

    /// <summary>Unique id of this cluster (label value, container names, work dirs).</summary>
    public string Id { get; }

    /// <summary>The master's port on 127.0.0.1.</summary>
    public int MasterPort { get; }

    /// <summary>The master's HTTP endpoints.</summary>
    public MesosHttp Master { get; }

    /// <summary>Where this cluster's logs are written at the end.</summary>
    public string LogDir { get; }

    /// <summary>
    /// Master flags besides port, ip and work dir, name → value. Agent health checks are quick here (5 s × 4) so that
    /// agent-loss scenarios end soon; a burst that keeps the agent busy for longer uses Mesos' defaults (<see cref="DefaultPings"/>).
    /// </summary>
    public static IReadOnlyDictionary<string, string> QuickPings { get; } = new Dictionary<string, string>
    {
        ["agent_ping_timeout"] = "5secs",
        ["max_agent_ping_timeouts"] = "4",
    };

    /// <summary>Mesos 1.11.0's defaults for the master's agent health checks (15 s × 5).</summary>
    public static IReadOnlyDictionary<string, string> DefaultPings { get; } = new Dictionary<string, string>
    {
        ["agent_ping_timeout"] = "15secs",
        ["max_agent_ping_timeouts"] = "5",
    };

    private readonly IReadOnlyDictionary<string, string> _pings;

    private MesosCluster(E2EContext context, string id, IReadOnlyDictionary<string, string> pings)
    {
        _pings = pings;
        _context = context;
        Id = id;
        MasterPort = Ports.FreeLoopbackPort();
        Master = new MesosHttp(MasterPort);
        LogDir = Directory.CreateDirectory(Path.Combine(context.LogRoot, id)).FullName;
    }

    /// <summary>Starts a master (agent health checks: <paramref name="pings"/>, default <see cref="QuickPings"/>) and waits (bounded) until it answers /health and has elected itself.</summary>
    public static async Task<MesosCluster> StartAsync(E2EContext context, string name, IReadOnlyDictionary<string, string>? pings = null)
    {
        var cluster = new MesosCluster(context, $"{Slug(name)}-{Guid.NewGuid().ToString("N")[..6]}", pings ?? QuickPings);
        try
        {
            await cluster.StartMasterAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Lower-case letters, digits and single dashes: valid in container names, labels and paths.</summary>
    private static string Slug(string text)
    {
        var slug = System.Text.RegularExpressions.Regex.Replace(text.ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');
        return slug.Length <= 40 ? slug : slug[..40].TrimEnd('-');
    }

    /// <summary>A task for this cluster: the engine's busybox test image, labelled for cleanup.</summary>
    public TaskSpec NewTask(string taskId, string command) =>
        new TaskSpec(taskId, TritonMesos.TestSupport.DockerEngine.TestImage, command)
            .WithLabel(Engine.RunLabel, _context.RunId)
            .WithLabel(Engine.ClusterLabel, Id)
            .WithLabel(TaskLabel, taskId);

    /// <summary>Label carrying the Mesos task id on a task's container.</summary>
    public const string TaskLabel = "io.triton-mesos.e2e.task";

    /// <summary>Subscribes a framework to this cluster's master.</summary>
    public Task<Scheduler> SubscribeAsync(string name) =>
        Scheduler.SubscribeAsync(Master.BaseAddress, $"triton-mesos-e2e-{name}", _context.Log, TimeSpan.FromSeconds(60));

    /// <summary>The master's /master/state.</summary>
    public Task<JsonElement> StateAsync() => Master.GetJsonAsync("/master/state");

    /// <summary>The task containers of this cluster on the engine (found by the cluster label), running or not.</summary>
    public Task<IList<ContainerListResponse>> TaskContainersAsync() => TaskContainersOnAsync(_context.Engine);

    /// <summary>The task containers of this cluster on <paramref name="engine"/> (e.g. a private engine behind its own endpoint), running or not.</summary>
    public async Task<IList<ContainerListResponse>> TaskContainersOnAsync(Engine engine) =>
        (await engine.ContainersAsync(Engine.ClusterLabel, Id))
            .Where(c => !c.Labels.ContainsKey(RoleLabel)).ToList();

    private const string RoleLabel = "io.triton-mesos.e2e.role";

    private async Task StartMasterAsync()
    {
        var name = $"triton-mesos-e2e-master-{Id}-{++_masters}";
        var create = new CreateContainerParameters
        {
            Image = _context.Image.Id,
            Name = name,
            // The image entrypoint (tini, then triton-mesos-entrypoint) runs any other program as given.
            Cmd =
            [
                "mesos-master",
                "--ip=127.0.0.1",
                $"--port={MasterPort}",
                "--hostname=127.0.0.1",
                "--registry=in_memory",
                "--work_dir=/var/lib/mesos-master",
                "--allocation_interval=1secs",
                .. _pings.Select(p => $"--{p.Key}={p.Value}"),
            ],
            Labels = Labels("master"),
            HostConfig = new HostConfig { NetworkMode = "host" },
        };
        _masterContainer = await RunAsync(create);
        await Wait.UntilAsync($"master {name} to answer /health on 127.0.0.1:{MasterPort}", _context.StartTimeout, async () =>
        {
            await ThrowIfExitedAsync(_masterContainer, "master");
            if (!await Master.HealthyAsync())
                return false;
            var state = await StateAsync();
            return state.TryGetProperty("leader", out var leader) && !string.IsNullOrEmpty(leader.GetString());
        }, TimeSpan.FromSeconds(2));
        _context.Log($"master {name} up on 127.0.0.1:{MasterPort}");
    }

    /// <summary>Stops the master container (SIGTERM, then kill) and starts a new one on the same port: a master failover with an in-memory registry.</summary>
    public async Task RestartMasterAsync()
    {
        if (_masterContainer is not null)
        {
            await SaveLogsAsync(_masterContainer, "master-" + _masters);
            await _context.Engine.Client.Containers.StopContainerAsync(_masterContainer, new ContainerStopParameters { WaitBeforeKillSeconds = 10 });
        }
        await StartMasterAsync();
    }

    /// <summary>Whether the current master container is still running (a CHECK failure aborts it).</summary>
    public async Task<(bool Running, long ExitCode, int RestartCount)> MasterContainerStateAsync()
    {
        var inspect = await _context.Engine.InspectAsync(_masterContainer!);
        return inspect is null ? (false, -1, 0) : (inspect.State.Running, inspect.State.ExitCode, (int)inspect.RestartCount);
    }

    /// <summary>Starts an agent and waits (bounded) until the master lists it as active.</summary>
    public async Task<AgentHandle> StartAgentAsync(AgentSpec spec, AgentHandle? reuse = null)
    {
        var (id, name, port, workDir) = await CreateAgentContainerAsync(spec, reuse);
        var pidSuffix = $"@127.0.0.1:{port}";
        var agentId = await Wait.ForAsync($"agent {name} ({spec}) to register with the master", _context.StartTimeout, async () =>
        {
            await ThrowIfExitedAsync(id, "agent");
            var state = await StateAsync();
            return MasterState.Agents(state).Where(a => a.Pid.EndsWith(pidSuffix, StringComparison.Ordinal) && a.Active).Select(a => a.Id).FirstOrDefault();
        }, TimeSpan.FromSeconds(2));
        _context.Log($"agent {name} registered as {agentId} ({spec})");
        return new AgentHandle(id, name, port, workDir, agentId, spec);
    }

    /// <summary>Starts an agent that is expected to stop on its own; returns its exit code and log once it has (bounded).</summary>
    public async Task<(long ExitCode, string Log, bool Registered)> StartAgentExpectingExitAsync(AgentSpec spec, TimeSpan timeout)
    {
        var (id, name, port, _) = await CreateAgentContainerAsync(spec, null);
        var registered = false;
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var inspect = await _context.Engine.InspectAsync(id);
            if (inspect is null || !inspect.State.Running)
            {
                var log = await _context.Engine.LogsAsync(id, 400);
                await SaveLogsAsync(id, name);
                return (inspect?.State.ExitCode ?? -1, log, registered);
            }
            try
            {
                registered |= MasterState.Agents(await StateAsync()).Any(a => a.Pid.EndsWith($"@127.0.0.1:{port}", StringComparison.Ordinal));
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        throw new TimeoutException($"agent {name} ({spec}) was still running after {timeout.TotalSeconds:0} s; log tail:\n{await _context.Engine.LogsAsync(id, 60)}");
    }

    /// <summary>Stops an agent container (SIGTERM: executors and tasks are meant to survive) and starts a new one with the same work dir, port and flags.</summary>
    public async Task<AgentHandle> RestartAgentContainerAsync(AgentHandle agent)
    {
        await SaveLogsAsync(agent.ContainerId, agent.Name);
        await _context.Engine.Client.Containers.StopContainerAsync(agent.ContainerId, new ContainerStopParameters { WaitBeforeKillSeconds = 20 });
        await _context.Engine.RemoveQuietlyAsync(agent.ContainerId);
        return await StartAgentAsync(agent.Spec, agent);
    }

    /// <summary>The agent's own HTTP endpoints.</summary>
    public static MesosHttp AgentHttp(AgentHandle agent) => new(agent.Port);

    /// <summary>The log of a container of this cluster (bounded tail).</summary>
    public Task<string> LogsAsync(string containerId, int tail = 200) => _context.Engine.LogsAsync(containerId, tail);

    /// <summary>The stderr of every sandbox of <paramref name="taskId"/> (where the Docker executor writes what the docker CLI printed), joined.</summary>
    public static string SandboxStderr(AgentHandle agent, string taskId) =>
        string.Join("\n", SandboxesOf(agent, taskId).Select(d => Path.Combine(d, "stderr")).Where(File.Exists).Select(File.ReadAllText));

    /// <summary>The sandbox directories of a task under the agent's work dir (the work dir is mounted at the same path on this host).</summary>
    public static IEnumerable<string> SandboxesOf(AgentHandle agent, string taskId)
    {
        var slaves = Path.Combine(agent.WorkDir, "slaves");
        if (!Directory.Exists(slaves))
            return [];
        return Directory.EnumerateDirectories(slaves, "runs", SearchOption.AllDirectories)
            .Where(runs => Path.GetFileName(Path.GetDirectoryName(runs)) == taskId)
            .SelectMany(Directory.EnumerateDirectories)
            .Where(run => Path.GetFileName(run) != "latest");
    }

    private async Task<(string Id, string Name, int Port, string WorkDir)> CreateAgentContainerAsync(AgentSpec spec, AgentHandle? reuse)
    {
        var n = ++_agents;
        var name = $"triton-mesos-e2e-agent-{Id}-{n}";
        var port = reuse?.Port ?? Ports.FreeLoopbackPort();
        var workDir = reuse?.WorkDir ?? Directory.CreateDirectory(Path.Combine(_context.WorkRoot, Id, $"agent-{n}")).FullName;

        var create = AgentLaunch.ForCluster(_context.Image, spec, $"127.0.0.1:{MasterPort}", port, workDir, _context.EndpointUrl);
        create.Name = name;
        create.Labels = Labels("agent");
        File.AppendAllText(Path.Combine(LogDir, "agents.txt"),
            $"{name}: profile {spec.Profile}; entrypoint {string.Join(' ', create.Entrypoint ?? [])}; cmd {string.Join(' ', create.Cmd ?? [])}; env {string.Join(' ', create.Env ?? [])}\n");
        var id = await RunAsync(create);
        return (id, name, port, workDir);
    }

    /// <summary>Where the client certificates are mounted in the agent container.</summary>
    public const string TlsMountPoint = AgentLaunch.TlsMountPoint;

    private Dictionary<string, string> Labels(string role) => new()
    {
        [Engine.RunLabel] = _context.RunId,
        [Engine.ClusterLabel] = Id,
        [RoleLabel] = role,
    };

    private async Task<string> RunAsync(CreateContainerParameters create)
    {
        var created = await _context.Engine.Client.Containers.CreateContainerAsync(create);
        _containers.Add(created.ID);
        await _context.Engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        return created.ID;
    }

    private async Task ThrowIfExitedAsync(string id, string what)
    {
        var inspect = await _context.Engine.InspectAsync(id);
        if (inspect is null || !inspect.State.Running)
            throw new FatalWaitException($"the {what} container exited (code {inspect?.State.ExitCode}); log tail:\n{await _context.Engine.LogsAsync(id, 40)}");
    }

    private Task SaveLogsAsync(string id, string name) => _context.Engine.SaveLogsAsync(id, Path.Combine(LogDir, name + ".log"), _context.Log);

    public async ValueTask DisposeAsync()
    {
        foreach (var container in (await _context.Engine.ContainersAsync(Engine.ClusterLabel, Id)).Where(c => c.Labels.ContainsKey(RoleLabel)))
            await SaveLogsAsync(container.ID, container.Names.First().TrimStart('/'));
        var removed = await _context.Engine.RemoveAsync(Engine.ClusterLabel, Id);
        _context.Log($"cluster {Id}: removed {removed} container(s); logs in {LogDir}");
        Master.Dispose();
    }
}
