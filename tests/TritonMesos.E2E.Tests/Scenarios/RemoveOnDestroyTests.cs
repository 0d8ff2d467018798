using System.Diagnostics;
using TritonMesos.E2E.Tests.Fixture;
using TritonMesos.E2E.Tests.Mesos;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.E2E.Tests.Scenarios;

/// <summary>
/// Scenario 6, remove-on-destroy: with `--docker_remove_delay=0secs` (Triton profile) a killed task's container is gone
/// from the engine within seconds, and a launch that fails after the container was created leaves nothing behind; with
/// the upstream default (6hrs) both containers stay on the engine.
/// </summary>
public sealed class RemoveOnDestroyTests(E2EFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public Task On_KilledAndFailedTasksLeaveNoContainer() =>
        ScenarioAsync("remove-on-destroy", "on (--docker_remove_delay=0secs)", c => Triton(c).With(Features.RemoveOnDestroy.DockerRemoveDelay, "0secs"), async (context, cluster, agent) =>
        {
            await using var scheduler = await cluster.SubscribeAsync("remove-on");
            var (killed, failed) = await KillOneAndFailOneAsync(context, cluster, agent, scheduler);

            foreach (var taskId in new[] { killed, failed })
            {
                var clock = Stopwatch.StartNew();
                await Wait.UntilAsync($"the container of {taskId} to be removed from the engine", Within, async () =>
                    (await context.Engine.ContainersAsync(MesosCluster.TaskLabel, taskId)).Count == 0, TimeSpan.FromMilliseconds(500));
                Output.WriteLine($"{taskId}: no container on the engine {clock.Elapsed.TotalSeconds:0.0} s after the terminal update");
            }
        });

    [SkippableFact]
    public Task Off_KilledAndFailedTasksLeaveTheirContainersBehind() =>
        ScenarioAsync("remove-on-destroy", "off (--docker_remove_delay=6hrs, upstream default)", c => Triton(c).With(Features.RemoveOnDestroy.DockerRemoveDelay, "6hrs"), async (context, cluster, agent) =>
        {
            await using var scheduler = await cluster.SubscribeAsync("remove-off");
            var (killed, failed) = await KillOneAndFailOneAsync(context, cluster, agent, scheduler);
            await Task.Delay(Within);
            foreach (var taskId in new[] { killed, failed })
            {
                var left = await context.Engine.ContainersAsync(MesosCluster.TaskLabel, taskId);
                Output.WriteLine($"{taskId}: {left.Count} container(s) still on the engine: {string.Join(", ", left.Select(c => $"{c.Names[0]} {c.State}"))}");
                Assert.Single(left);
                Assert.NotEqual("running", left[0].State);
            }
        });

    /// <summary>Kills a running task, and launches one whose container is created but cannot start; returns both task ids.</summary>
    private async Task<(string Killed, string Failed)> KillOneAndFailOneAsync(E2EContext context, MesosCluster cluster, AgentHandle agent, Scheduler scheduler)
    {
        var running = cluster.NewTask(TaskId("kill"), "sleep 600");
        await scheduler.LaunchAsync(await scheduler.OfferAsync(o => o.AgentId == agent.AgentId, context.TaskTimeout, "from the agent"), running);
        await scheduler.WaitForStateAsync(running.TaskId, context.TaskTimeout, "TASK_RUNNING");
        Assert.True((await TaskContainerAsync(context, running.TaskId, Within)).State.Running);
        await scheduler.KillAsync(running.TaskId, agent.AgentId);
        Assert.Equal("TASK_KILLED", (await scheduler.WaitForTerminalAsync(running.TaskId, context.TaskTimeout)).State);

        // `docker run` creates the container, then `start` fails: the executable does not exist in the image.
        var broken = cluster.NewTask(TaskId("nostart"), "/nonexistent-e2e-binary").WithShell(false);
        await scheduler.LaunchAsync(await scheduler.OfferAsync(o => o.AgentId == agent.AgentId, context.TaskTimeout, "from the agent"), broken);
        var failed = await scheduler.WaitForTerminalAsync(broken.TaskId, context.TaskTimeout);
        Output.WriteLine("failed launch: " + failed);
        Assert.Equal("TASK_FAILED", failed.State);
        return (running.TaskId, broken.TaskId);
    }
}
