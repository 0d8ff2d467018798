using System.Diagnostics;
using System.Text.Json;
using TritonMesos.E2E.Tests.Fixture;
using TritonMesos.E2E.Tests.Mesos;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.E2E.Tests.Scenarios;

/// <summary>
/// One agent fronting many containers: 200 tasks, launched in waves of 25, on one Triton-profile agent, whose engine is a
/// private dockerd behind its own endpoint (TLS). Once all run, the master, the agent and the engine agree task by task;
/// after the framework's TEARDOWN nothing is left: no container on the engine, no executor or docker CLI process in the
/// agent container, no task on the agent. The cost figures of such bursts are the bench's (bench/agent-scale).
/// </summary>
public sealed class AgentScaleTests(E2EFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const int Tasks = 200;

    /// <summary>Tasks per ACCEPT; the next wave is launched once these run.</summary>
    private const int Wave = 25;

    [SkippableFact]
    public async Task TwoHundredTasks_OnOneAgent_MasterAgentAndEngineAgree_AndNothingIsLeftAfterTeardown()
    {
        var context = await Fixture.RequireClusterAsync(Output);
        var why = PrivateDockerd.Unavailable();
        Skip.If(why is not null, "no private dockerd for the agent-scale scenario: " + why);

        await Fixture.RunScenarioAsync("agent-scale", $"Triton profile, {Tasks} tasks on one agent", Output, async () =>
        {
            await using var dataCenter = await DataCenter.StartAsync(context, "agent-scale", "agent-scale-1", Path.Combine(context.LogRoot, "agent-scale"), quiet: true);
            var engine = dataCenter.Engine;
            await using var cluster = await MesosCluster.StartAsync(context, "agent-scale", MesosCluster.DefaultPings);
            // The agent also logs into its work dir (mounted from this host), so its log outlives its container.
            var agentLogDir = Path.Combine(context.WorkRoot, cluster.Id, "agent-1", "log");
            var agent = await cluster.StartAgentAsync(Triton(context).With("log_dir", agentLogDir) with { EndpointUrl = dataCenter.Endpoint.Url });
            var agentPid = (int)(await context.Engine.Client.Containers.InspectContainerAsync(agent.ContainerId)).State.Pid;
            var scheduler = await cluster.SubscribeAsync("agent-scale");
            var tornDown = false;
            try
            {
                var tasks = Enumerable.Range(1, Tasks)
                    .Select(i => cluster.NewTask($"scale-{i:000}-{Guid.NewGuid().ToString("N")[..6]}", "sleep 3600") with { Cpus = 0.01, Mem = 16 })
                    .ToArray();
                // In waves: one burst of 100+ on a loaded 2-core host can livelock the docker executors' inspect loop
                // (see docs/agent-scale.md); this scenario is about agreement at scale, the bench measures bursts.
                var clock = Stopwatch.StartNew();
                foreach (var wave in tasks.Chunk(Wave))
                {
                    var offer = await scheduler.OfferAsync(o => o.AgentId == agent.AgentId, context.TaskTimeout, "from the agent");
                    await scheduler.LaunchAsync(offer, wave);
                    await AllRunningAsync(scheduler, wave, TimeSpan.FromMinutes(5));
                }
                var allRunning = clock.Elapsed;
                Output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] all {Tasks} RUNNING after {allRunning.TotalSeconds:0} s");

                await AgreeAsync(cluster, agent, engine, agentPid, tasks);

                var teardown = Stopwatch.StartNew();
                await scheduler.DisposeAsync();
                tornDown = true;
                await NothingLeftAsync(cluster, agent, engine, agentPid);
                Output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] nothing left {teardown.Elapsed.TotalSeconds:0} s after the teardown");
                return $"{Tasks} RUNNING after {allRunning.TotalSeconds:0} s; agreed; all removed {teardown.Elapsed.TotalSeconds:0} s after TEARDOWN";
            }
            finally
            {
                if (!tornDown)
                    await scheduler.DisposeAsync();
                if (Directory.Exists(agentLogDir))
                    foreach (var file in Directory.EnumerateFiles(agentLogDir, "mesos-agent.*.INFO.*"))
                        File.Copy(file, Path.Combine(cluster.LogDir, Path.GetFileName(file)), overwrite: true);
            }
        });
    }

    /// <summary>Waits (bounded) until every task is RUNNING; fails at once when one ends, naming it.</summary>
    private async Task AllRunningAsync(Scheduler scheduler, TaskSpec[] tasks, TimeSpan timeout)
    {
        var next = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        await Wait.UntilAsync($"all {tasks.Length} tasks to be RUNNING", timeout, () =>
        {
            var updates = scheduler.AllUpdates;
            var ended = updates.FirstOrDefault(u => Scheduler.Terminal.Contains(u.State));
            if (ended is not null)
                throw new FatalWaitException($"task {ended} ended before all were RUNNING");
            var ids = tasks.Select(t => t.TaskId).ToHashSet();
            var running = updates.Where(u => u.State == "TASK_RUNNING" && ids.Contains(u.TaskId)).Select(u => u.TaskId).Distinct().Count();
            if (clock.Elapsed >= next)
            {
                Output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] RUNNING {running}/{tasks.Length}");
                next = clock.Elapsed + TimeSpan.FromSeconds(15);
            }
            return Task.FromResult(running == tasks.Length);
        }, TimeSpan.FromSeconds(1), () => $"{scheduler.AllUpdates.Where(u => u.State == "TASK_RUNNING").Select(u => u.TaskId).Distinct().Count()} RUNNING in all");
    }

    /// <summary>Master, agent and engine list the same running tasks: one running container per task, no other; one executor per task.</summary>
    private async Task AgreeAsync(MesosCluster cluster, AgentHandle agent, Engine engine, int agentPid, TaskSpec[] tasks)
    {
        var ids = tasks.Select(t => t.TaskId).ToHashSet();
        var master = MasterState.Tasks(await cluster.StateAsync()).Where(t => ids.Contains(t.TaskId)).ToList();
        var notRunning = master.Where(t => t.State != "TASK_RUNNING").Select(t => $"{t.TaskId} {t.State}").ToList();
        Assert.True(master.Count == Tasks && notRunning.Count == 0,
            $"master lists {master.Count} of {Tasks} tasks; not RUNNING: {string.Join(", ", notRunning.Take(10))}");

        using var agentHttp = MesosCluster.AgentHttp(agent);
        var onAgent = AgentTasks(await agentHttp.GetJsonAsync("/state")).ToList();
        Assert.True(onAgent.Count(t => ids.Contains(t.TaskId) && t.State == "TASK_RUNNING") == Tasks,
            $"agent /state has {onAgent.Count(t => t.State == "TASK_RUNNING")} RUNNING tasks of {onAgent.Count}, expected {Tasks}");

        var containers = await cluster.TaskContainersOnAsync(engine);
        var running = containers.Where(c => c.State == "running").ToList();
        var byTask = running.GroupBy(c => c.Labels[MesosCluster.TaskLabel]).ToDictionary(g => g.Key, g => g.Count());
        var missing = ids.Where(id => byTask.GetValueOrDefault(id) != 1).ToList();
        Assert.True(missing.Count == 0, $"tasks without exactly one running container: {string.Join(", ", missing.Take(10))} ({missing.Count})");
        Assert.True(running.Count == Tasks, $"the engine runs {running.Count} containers of this cluster, Mesos {Tasks}");
        foreach (var container in running)
            AssertTritonName(container.Names[0]);

        var processes = ProcessSample.OfNamespace(agentPid, withMemory: false);
        Assert.Equal(Tasks, processes.Count("mesos-docker-executor"));
        Output.WriteLine($"agree: master {master.Count} RUNNING, agent {Tasks} RUNNING, engine {running.Count} running containers; agent container "
            + $"{processes.Processes} processes ({processes.Count("mesos-docker-executor")} executors, {processes.Count("docker")} docker CLI)");
    }

    /// <summary>Waits (bounded) until the engine has no container of the cluster, the agent no task and its container no executor or docker CLI.</summary>
    private async Task NothingLeftAsync(MesosCluster cluster, AgentHandle agent, Engine engine, int agentPid)
    {
        using var agentHttp = MesosCluster.AgentHttp(agent);
        var last = "";
        var clock = Stopwatch.StartNew();
        var next = TimeSpan.Zero;
        await Wait.UntilAsync("the teardown to leave nothing behind", TimeSpan.FromMinutes(10), async () =>
        {
            if (clock.Elapsed >= next && last.Length > 0)
            {
                Output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] teardown: {last}");
                next = clock.Elapsed + TimeSpan.FromSeconds(30);
            }
            var containers = (await cluster.TaskContainersOnAsync(engine)).Count;
            var active = AgentTasks(await agentHttp.GetJsonAsync("/state")).Count(t => !Scheduler.Terminal.Contains(t.State));
            var processes = ProcessSample.OfNamespace(agentPid, withMemory: false);
            last = $"{containers} container(s) on the engine, {active} non-terminal task(s) on the agent, "
                + $"{processes.Count("mesos-docker-executor")} executor(s) and {processes.Count("docker")} docker CLI process(es) in the agent container";
            return containers == 0 && active == 0 && processes.Count("mesos-docker-executor") == 0 && processes.Count("docker") == 0;
        }, TimeSpan.FromSeconds(2), () => last);
        var masterActive = MasterState.Tasks(await cluster.StateAsync()).Count(t => !Scheduler.Terminal.Contains(t.State));
        Assert.True(masterActive == 0, $"the master still lists {masterActive} non-terminal task(s) after the teardown");
    }

    /// <summary>Tasks the agent's /state lists under its frameworks' executors (active frameworks only).</summary>
    private static IEnumerable<(string TaskId, string State)> AgentTasks(JsonElement state) =>
        state.GetProperty("frameworks").EnumerateArray()
            .SelectMany(f => f.GetProperty("executors").EnumerateArray())
            .SelectMany(e => e.GetProperty("tasks").EnumerateArray().Concat(e.TryGetProperty("queued_tasks", out var q) ? q.EnumerateArray() : Enumerable.Empty<JsonElement>()))
            .Select(t => (t.GetProperty("id").GetString()!, t.GetProperty("state").GetString()!));
}
