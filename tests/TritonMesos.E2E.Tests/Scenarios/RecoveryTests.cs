using TritonMesos.E2E.Tests.Fixture;
using TritonMesos.E2E.Tests.Mesos;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.E2E.Tests.Scenarios;

/// <summary>
/// Agent restart with a running task: the agent container is stopped (SIGTERM) and started again with the same work
/// dir. Whatever Mesos then reports, the engine must agree with it: a task Mesos calls running has a running container,
/// a task Mesos calls terminal has none left, and no other mesos- container of this cluster remains.
/// </summary>
public sealed class RecoveryTests(E2EFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [SkippableFact]
    public Task AgentRestart_WithARunningTask_MesosAndTheEngineAgree() =>
        ScenarioAsync("agent-restart", "Triton profile", Triton, async (context, cluster, agent) =>
        {
            await using var scheduler = await cluster.SubscribeAsync("recovery");
            var task = cluster.NewTask(TaskId("survivor"), "sleep 600");
            await scheduler.LaunchAsync(await scheduler.OfferAsync(o => o.AgentId == agent.AgentId, context.TaskTimeout, "from the agent"), task);
            await scheduler.WaitForStateAsync(task.TaskId, context.TaskTimeout, "TASK_RUNNING");
            var before = await TaskContainerAsync(context, task.TaskId, TimeSpan.FromSeconds(30));

            Output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] restarting the agent container {agent.Name}");
            var restarted = await cluster.RestartAgentContainerAsync(agent);
            Output.WriteLine($"agent back as {restarted.AgentId} (was {agent.AgentId})");
            await scheduler.ReconcileAsync();

            await AgreeAsync(context, cluster, scheduler, task.TaskId, before.ID);
            if (scheduler.LatestState(task.TaskId) == "TASK_RUNNING")
            {
                await scheduler.KillAsync(task.TaskId, restarted.AgentId);
                Assert.Equal("TASK_KILLED", (await scheduler.WaitForTerminalAsync(task.TaskId, context.TaskTimeout)).State);
                await AgreeAsync(context, cluster, scheduler, task.TaskId, before.ID);
            }
        });

    /// <summary>Waits (bounded) until the master's view of the task and the engine's container agree, then asserts it.</summary>
    internal static async Task AgreeAsync(E2EContext context, MesosCluster cluster, Scheduler scheduler, string taskId, string containerId, Engine? engine = null)
    {
        engine ??= context.Engine;
        string Describe(string? state, Docker.DotNet.Models.ContainerInspectResponse? c) =>
            $"master: {state ?? "(not listed)"}, scheduler: {string.Join(" → ", scheduler.Updates(taskId))}, engine: {(c is null ? "no container" : c.Name + " " + c.State.Status)}";
        var last = "";
        await Wait.UntilAsync($"Mesos and the engine to agree on task {taskId}", TimeSpan.FromMinutes(3), async () =>
        {
            var state = MasterState.TaskState(await cluster.StateAsync(), taskId);
            var container = await engine.InspectAsync(containerId);
            last = Describe(state, container);
            return state switch
            {
                "TASK_RUNNING" => container is { State.Running: true },
                null => false,
                _ when Scheduler.Terminal.Contains(state) => container is null,
                _ => false,
            };
        }, TimeSpan.FromSeconds(2), () => last);

        var others = (await engine.MesosContainersAsync())
            .Where(c => c.Labels.TryGetValue(Engine.ClusterLabel, out var id) && id == cluster.Id && c.ID != containerId && c.State == "running")
            .ToList();
        Assert.True(others.Count == 0, "orphan containers: " + string.Join(", ", others.Select(c => c.Names[0])));
    }
}
