using ContainerInspectResponse = Docker.DotNet.Models.ContainerInspectResponse;
using TritonMesos.E2E.Tests.Fixture;
using TritonMesos.E2E.Tests.Mesos;
using TritonMesos.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.E2E.Tests.Scenarios;

/// <summary>
/// Engine restart: tasks run on a private dockerd behind a second endpoint; the dockerd is stopped and started again
/// while a task runs. No task may be lost beyond what Mesos reports, and no orphan container may be left running.
/// </summary>
public sealed class EngineRestartTests(E2EFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [SkippableFact]
    public async Task EngineRestart_WithARunningTask_MesosAndTheEngineAgree()
    {
        var context = await Fixture.RequireClusterAsync(Output);
        var why = PrivateDockerd.Unavailable();
        Skip.If(why is not null, "no private dockerd for the engine-restart scenario: " + why);

        await Fixture.RunScenarioAsync("engine-restart", "Triton profile", Output, async () =>
        {
            await using var run = await PrivateEngineRun.StartAsync(context, "engine-restart", TaskId("through-restart"), liveRestore: false);
            var (dockerd, privateEngine, onPrivate, cluster, agent, scheduler, task, container) = run;

            Output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] stopping the private dockerd with {container.Name} running");
            await dockerd.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(10));
            Output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] state while the engine is down: {scheduler.LatestState(task.TaskId)}");
            await dockerd.StartAgainAsync();
            Output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] private dockerd is back");
            await scheduler.ReconcileAsync();

            await RecoveryTests.AgreeAsync(onPrivate, cluster, scheduler, task.TaskId, container.ID, privateEngine);
            Output.WriteLine($"outcome: {string.Join(" → ", scheduler.Updates(task.TaskId))}");
            if (scheduler.LatestState(task.TaskId) == "TASK_RUNNING")
            {
                await scheduler.KillAsync(task.TaskId, agent.AgentId);
                await scheduler.WaitForTerminalAsync(task.TaskId, context.TaskTimeout);
                await RecoveryTests.AgreeAsync(onPrivate, cluster, scheduler, task.TaskId, container.ID, privateEngine);
            }
        });
    }

    [SkippableFact]
    public async Task EngineOutage_ARemovalThatFailsWhileTheEngineIsDown_IsRetriedUntilTheContainerIsGone()
    {
        var context = await Fixture.RequireClusterAsync(Output);
        var why = PrivateDockerd.Unavailable();
        Skip.If(why is not null, "no private dockerd for the engine-outage scenario: " + why);

        await Fixture.RunScenarioAsync("engine-outage", "Triton profile (--docker_remove_delay=0secs)", Output, async () =>
        {
            // --live-restore: stopping the daemon leaves the container running, so the agent's `docker rm` meets an
            // unreachable engine for certain (with a plain restart the removal may slip in before the daemon exits).
            await using var run = await PrivateEngineRun.StartAsync(context, "engine-outage", TaskId("through-outage"), liveRestore: true);
            var (dockerd, privateEngine, onPrivate, cluster, agent, scheduler, task, container) = run;
            var name = container.Name.TrimStart('/');

            Output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] stopping the private dockerd (live restore) with {name} running");
            await dockerd.StopAsync();
            var terminal = await scheduler.WaitForTerminalAsync(task.TaskId, TimeSpan.FromSeconds(90));
            Output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] with the engine down the task ended: {terminal.State} {terminal.Message}");

            var failedRemoval = $"Failed to remove Docker container '{name}', retrying in";
            var agentLog = "";
            await Wait.UntilAsync($"the agent to fail removing {name} and schedule a retry", TimeSpan.FromSeconds(90), async () =>
            {
                agentLog = await cluster.LogsAsync(agent.ContainerId, 400);
                return agentLog.Contains(failedRemoval, StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(2), () => "no such line in the agent's last 400 log lines");
            Output.WriteLine(agentLog.Split('\n').First(l => l.Contains(failedRemoval, StringComparison.Ordinal)).Trim());

            await Task.Delay(TimeSpan.FromSeconds(5));
            await dockerd.StartAgainAsync();
            Output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] private dockerd is back; {name} is still there: {(await privateEngine.InspectAsync(container.ID))?.State.Status}");

            await Wait.UntilAsync($"the agent's retry to remove {name}", TimeSpan.FromMinutes(2),
                async () => await privateEngine.InspectAsync(container.ID) is null, TimeSpan.FromSeconds(2));
            Output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {name} is gone from the engine");
            await RecoveryTests.AgreeAsync(onPrivate, cluster, scheduler, task.TaskId, container.ID, privateEngine);
            Assert.DoesNotContain("giving up", await cluster.LogsAsync(agent.ContainerId, 400), StringComparison.Ordinal);
        });
    }

    /// <summary>
    /// A private dockerd behind its own endpoint, a master and a Triton-profile agent on it, and one `sleep 600` task
    /// running there: what both scenarios start from. Disposed in reverse order of start.
    /// </summary>
    private sealed record PrivateEngineRun(PrivateDockerd Dockerd, EndpointHost Endpoint, Engine PrivateEngine, E2EContext OnPrivate,
        MesosCluster Cluster, AgentHandle Agent, Scheduler Scheduler, TaskSpec Task, ContainerInspectResponse Container) : IAsyncDisposable
    {
        public static async Task<PrivateEngineRun> StartAsync(E2EContext context, string name, string taskId, bool liveRestore)
        {
            var logs = Path.Combine(context.LogRoot, name);
            Directory.CreateDirectory(logs);
            var dockerd = await PrivateDockerd.StartAsync(Path.Combine(logs, "dockerd.log"), liveRestore);
            await dockerd.LoadImageAsync(context.Engine.Host, DockerEngine.TestImage);
            var endpoint = await EndpointHost.StartAsync(dockerd.Host, context.Tls.ServerDir, Path.Combine(logs, "endpoint.log"), TimeSpan.FromSeconds(60), dockerd.EndpointOptions);
            var privateEngine = new Engine(dockerd.Host);
            var onPrivate = context with { Engine = privateEngine };

            var cluster = await MesosCluster.StartAsync(context, name);
            var agent = await cluster.StartAgentAsync(Triton(context) with { EndpointUrl = endpoint.Url });
            var scheduler = await cluster.SubscribeAsync(name);
            var task = cluster.NewTask(taskId, "sleep 600");
            await scheduler.LaunchAsync(await scheduler.OfferAsync(o => o.AgentId == agent.AgentId, context.TaskTimeout, "from the agent"), task);
            await scheduler.WaitForStateAsync(task.TaskId, context.TaskTimeout, "TASK_RUNNING");
            var container = await TaskContainerAsync(onPrivate, task.TaskId, TimeSpan.FromSeconds(30));
            return new PrivateEngineRun(dockerd, endpoint, privateEngine, onPrivate, cluster, agent, scheduler, task, container);
        }

        public void Deconstruct(out PrivateDockerd dockerd, out Engine privateEngine, out E2EContext onPrivate, out MesosCluster cluster,
            out AgentHandle agent, out Scheduler scheduler, out TaskSpec task, out ContainerInspectResponse container) =>
            (dockerd, privateEngine, onPrivate, cluster, agent, scheduler, task, container) =
            (Dockerd, PrivateEngine, OnPrivate, Cluster, Agent, Scheduler, Task, Container);

        public async ValueTask DisposeAsync()
        {
            await Scheduler.DisposeAsync();
            await Cluster.DisposeAsync();
            PrivateEngine.Dispose();
            await Endpoint.DisposeAsync();
            await Dockerd.DisposeAsync();
        }
    }
}
