using System.Diagnostics;
using System.Text.Json;
using TritonMesos.E2E.Tests.Fixture;
using TritonMesos.E2E.Tests.Mesos;

namespace TritonMesos.AgentScale.Bench;

/// <summary>
/// One burst: a fresh master and Triton-profile agent (with the variant's settings), N <c>sleep</c> tasks in one ACCEPT,
/// progress every 5 s until all are RUNNING (or the memory guard or the timeout stops it), the agent container's processes
/// and memory, what the master and the engine report, then a framework TEARDOWN timed until the engine is empty.
/// </summary>
public sealed class BurstRun(BenchEnvironment env, BenchOptions options, Variant variant, int tasks)
{
    private static readonly TimeSpan Progress = TimeSpan.FromSeconds(5);

    /// <summary>Runs the burst; the cluster is removed afterwards whatever happens.</summary>
    public async Task<BurstResult> RunAsync()
    {
        var context = env.Context;
        var result = new BurstResult(variant.Name, tasks) { LoadBefore = HostMemory.Load() };
        var name = $"{variant.Name}-{tasks}";
        env.Log($"=== burst {name}: {tasks} tasks, variant {variant}");
        // Mesos' default agent health checks: a burst keeps the agent busy longer than the E2E suite's quick 5 s × 4.
        await using var cluster = await MesosCluster.StartAsync(context, name, MesosCluster.DefaultPings);
        var spec = variant.Apply(AgentSpec.Triton.WithTls(context.Tls.ClientDir) with { EndpointUrl = env.DataCenter.Endpoint.Url });
        var agent = await cluster.StartAgentAsync(spec);
        var agentPid = (int)(await context.Engine.Client.Containers.InspectContainerAsync(agent.ContainerId)).State.Pid;
        var scheduler = await cluster.SubscribeAsync(name);
        var disposed = false;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5)); // let the agent settle after registration before the idle sample
            var idle = ProcessSample.OfNamespace(agentPid);
            result = result with { Idle = idle, AvailableBeforeMiB = HostMemory.AvailableMiB() };
            env.Log($"idle agent container: {Describe(idle)}; MemAvailable {result.AvailableBeforeMiB} MiB");

            var specs = Enumerable.Range(1, tasks)
                .Select(i => cluster.NewTask($"{name}-{i:0000}", "sleep 3600") with { Cpus = 0.01, Mem = 16 })
                .ToArray();
            var wave = options.Wave is > 0 and var w && w < tasks ? w : tasks;
            var clock = Stopwatch.StartNew();
            var launchedAt = DateTime.UtcNow;
            var launched = 0;
            foreach (var chunk in specs.Chunk(wave))
            {
                var offer = await scheduler.OfferAsync(o => o.AgentId == agent.AgentId, context.TaskTimeout, "from the agent");
                await scheduler.LaunchAsync(offer, chunk);
                launched += chunk.Length;
                env.Log($"launched {chunk.Length} tasks in one ACCEPT ({launched} of {tasks}) at +{clock.Elapsed.TotalSeconds:0.0} s");
                result = await WatchAsync(result, scheduler, agentPid, launchedAt, clock, launched);
                if (result.Stopped.Length > 0)
                    break;
            }

            await Task.Delay(TimeSpan.FromSeconds(10)); // settle: the last executors finish their inspect loops
            var loaded = ProcessSample.OfNamespace(agentPid);
            var state = await cluster.StateAsync();
            var engineRunning = (await env.DataCenter.Engine.ContainersAsync(Engine.ClusterLabel, cluster.Id)).Count(c => c.State == "running");
            result = result with
            {
                Loaded = loaded,
                AvailableAfterMiB = HostMemory.AvailableMiB(),
                MasterRunning = MasterRunning(state),
                EngineRunning = engineRunning,
                LoadAfter = HostMemory.Load(),
            };
            env.Log($"loaded agent container: {Describe(loaded)}; MemAvailable {result.AvailableAfterMiB} MiB; master RUNNING {result.MasterRunning}, engine running {engineRunning}");

            await SaveAgentLogAsync(cluster, agent, name);
            result = wave < tasks ? result : result with
            {
                Phases = Timeline.Analyse(Path.Combine(env.Context.LogRoot, name + "-agent.log"), agent.WorkDir, scheduler.AllUpdates, launchedAt,
                    await EngineTimesAsync(cluster)),
            };
            foreach (var line in result.Phases)
                env.Log("  " + line);

            // Teardown: the framework leaves; the agent kills every task and removes every container (remove delay 0).
            var teardown = Stopwatch.StartNew();
            await scheduler.DisposeAsync();
            disposed = true;
            result = await WaitRemovedAsync(result, cluster, agentPid, teardown);
        }
        finally
        {
            if (!disposed)
                await scheduler.DisposeAsync();
            var left = await env.DataCenter.Engine.RemoveAsync(Engine.ClusterLabel, cluster.Id);
            if (left > 0)
                env.Log($"removed {left} container(s) the agent left on the engine");
        }
        env.Log("result: " + result.Row());
        return result;
    }

    /// <summary>Progress every 5 s until <paramref name="expected"/> tasks are RUNNING or ended, or a stop condition; times from the first launch.</summary>
    private async Task<BurstResult> WatchAsync(BurstResult result, Scheduler scheduler, int agentPid, DateTime launchedAt, Stopwatch clock, int expected)
    {
        var next = Progress;
        while (true)
        {
            var updates = scheduler.AllUpdates;
            var running = updates.Where(u => u.State == "TASK_RUNNING").GroupBy(u => u.TaskId).Select(g => g.Min(u => u.At)).Order().ToList();
            var failed = updates.Where(u => Scheduler.Terminal.Contains(u.State)).GroupBy(u => u.TaskId).Select(g => g.First()).ToList();
            var available = HostMemory.AvailableMiB();
            var done = running.Count + failed.Count >= expected;
            string? stop = null;
            if (env.StopRequested)
                stop = $"stopped by a signal at {running.Count} RUNNING";
            else if (failed.Any(f => f.Reason == "REASON_AGENT_REMOVED"))
                stop = $"the master removed the agent (it missed its health checks) at {running.Count} RUNNING";
            else if (available < options.MinAvailableMiB)
                stop = $"memory guard: MemAvailable {available} MiB < {options.MinAvailableMiB} MiB at {running.Count} RUNNING";
            else if (clock.Elapsed > options.BurstTimeout)
                stop = $"timeout: {running.Count} of {tasks} RUNNING after {options.BurstTimeout.TotalMinutes:0} min";

            if (done || stop is not null || clock.Elapsed >= next)
            {
                var sample = ProcessSample.OfNamespace(agentPid, withMemory: false);
                env.Log($"+{clock.Elapsed.TotalSeconds:0}s RUNNING {running.Count}/{tasks}, ended {failed.Count}; agent container: {sample.Processes} processes "
                    + $"({sample.Count("mesos-docker-executor")} executors, {sample.Count("docker")} docker CLI); MemAvailable {available} MiB; load {HostMemory.Load()}");
                next = clock.Elapsed + Progress;
            }
            if (done || stop is not null)
            {
                var times = running.Select(t => (t - launchedAt).TotalSeconds).ToList();
                if (failed.Count > 0)
                    env.Log("ended before RUNNING: " + string.Join("; ", failed.Take(5)));
                return result with
                {
                    Running = running.Count,
                    Failed = string.Join(", ", failed.GroupBy(f => f.State).Select(g => $"{g.Key}: {g.Count()}")),
                    Stopped = stop ?? "",
                    FirstRunningSeconds = times.Count > 0 ? times[0] : double.NaN,
                    AllRunningSeconds = times.Count > 0 ? times[^1] : double.NaN,
                    MedianRunningSeconds = Percentile(times, 0.5),
                    P95RunningSeconds = Percentile(times, 0.95),
                };
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    private async Task<BurstResult> WaitRemovedAsync(BurstResult result, MesosCluster cluster, int agentPid, Stopwatch teardown)
    {
        double? removed = null, executorsGone = null;
        var deadline = TimeSpan.FromMinutes(10);
        var next = Progress;
        var left = 0;
        while (teardown.Elapsed < deadline && (removed is null || executorsGone is null))
        {
            left = (await env.DataCenter.Engine.ContainersAsync(Engine.ClusterLabel, cluster.Id)).Count;
            var sample = ProcessSample.OfNamespace(agentPid, withMemory: false);
            if (sample.Count("mesos-docker-executor") == 0)
                executorsGone ??= teardown.Elapsed.TotalSeconds;
            // Empty only counts once nothing is left that could still create a container (an executor's `docker run`).
            if (left == 0 && sample.Count("mesos-docker-executor") == 0 && sample.Count("docker") == 0)
                removed ??= teardown.Elapsed.TotalSeconds;
            if (teardown.Elapsed >= next)
            {
                env.Log($"teardown +{teardown.Elapsed.TotalSeconds:0}s: {left} container(s) on the engine, {sample.Count("mesos-docker-executor")} executors, {sample.Count("docker")} docker CLI");
                next = teardown.Elapsed + Progress;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        env.Log($"teardown: engine empty after {removed?.ToString("0.0") ?? "(not within 10 min)"} s, executors gone after {executorsGone?.ToString("0.0") ?? "(not within 10 min)"} s");
        return result with { RemovedSeconds = removed ?? double.NaN, ExecutorsGoneSeconds = executorsGone ?? double.NaN, Orphans = removed is null ? left : 0 };
    }

    /// <summary>Per task, when the engine created and started its container (docker inspect of each).</summary>
    private async Task<IReadOnlyDictionary<string, (DateTime Created, DateTime Started)>> EngineTimesAsync(MesosCluster cluster)
    {
        var times = new Dictionary<string, (DateTime, DateTime)>();
        foreach (var container in await cluster.TaskContainersOnAsync(env.DataCenter.Engine))
            if (container.Labels.TryGetValue(MesosCluster.TaskLabel, out var task) && await env.DataCenter.Engine.InspectAsync(container.ID) is { } inspect
                && DateTime.TryParse(inspect.State.StartedAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal, out var started))
                times[task] = (inspect.Created.ToUniversalTime(), started);
        return times;
    }

    private async Task SaveAgentLogAsync(MesosCluster cluster, AgentHandle agent, string name)
    {
        var path = Path.Combine(env.Context.LogRoot, name + "-agent.log");
        await File.WriteAllTextAsync(path, await cluster.LogsAsync(agent.ContainerId, 2_000_000));
    }

    private static int MasterRunning(JsonElement state) =>
        state.GetProperty("frameworks").EnumerateArray()
            .SelectMany(f => f.GetProperty("tasks").EnumerateArray())
            .Count(t => t.GetProperty("state").GetString() == "TASK_RUNNING");

    private static string Describe(ProcessSample sample) =>
        $"{sample.Processes} processes, PSS {sample.PssKiB / 1024.0:0} MiB (" + string.Join(", ", sample.Programs.Values.Select(p => $"{p.Program} ×{p.Processes} {p.PssKiB / 1024.0:0.0} MiB")) + ")";

    private static double Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
}
