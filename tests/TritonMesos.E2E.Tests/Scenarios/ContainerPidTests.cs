using System.Net;
using System.Text.Json;
using TritonMesos.E2E.Tests.Fixture;
using TritonMesos.E2E.Tests.Mesos;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.E2E.Tests.Scenarios;

/// <summary>
/// Scenario 4, container-pid: the container's pid (from `docker inspect` through the endpoint) is not a process the
/// agent can see. With `--no-docker_use_container_pid` a long-running task stays TASK_RUNNING past the 60 s MESOS-8488
/// window and /monitor/statistics answers; with the upstream default the executor gives the task up after about 60 s.
/// </summary>
public sealed class ContainerPidTests(E2EFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private static readonly TimeSpan PastTheWindow = TimeSpan.FromSeconds(75);

    [SkippableFact]
    public Task On_ALongRunningTaskStaysRunningPast60Seconds_AndStatisticsAnswer() =>
        ScenarioAsync("container-pid", "on (--no-docker_use_container_pid)", c => Triton(c).With(Features.ContainerPid.DockerUseContainerPid, false), async (context, cluster, agent) =>
        {
            await using var scheduler = await cluster.SubscribeAsync("pid-on");
            var task = cluster.NewTask(TaskId("sleep120"), "sleep 120");
            await scheduler.LaunchAsync(await scheduler.OfferAsync(o => o.AgentId == agent.AgentId, context.TaskTimeout, "from the agent"), task);
            var running = await scheduler.WaitForStateAsync(task.TaskId, context.TaskTimeout, "TASK_RUNNING");

            await Task.Delay(running.At + PastTheWindow - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero);
            Assert.Equal("TASK_RUNNING", scheduler.LatestState(task.TaskId));
            Assert.Equal("TASK_RUNNING", MasterState.TaskState(await cluster.StateAsync(), task.TaskId));
            var container = await TaskContainerAsync(context, task.TaskId, TimeSpan.FromSeconds(10));
            Assert.True(container.State.Running, $"{container.Name} is {container.State.Status}");
            Output.WriteLine($"{(DateTime.UtcNow - running.At).TotalSeconds:0} s after TASK_RUNNING: still running; engine pid {container.State.Pid}");

            using var agentHttp = MesosCluster.AgentHttp(agent);
            var (status, body) = await agentHttp.GetAsync("/monitor/statistics");
            Output.WriteLine($"/monitor/statistics: {(int)status} {body}");
            Assert.Equal(HttpStatusCode.OK, status);
            using var stats = JsonDocument.Parse(body);
            var entry = stats.RootElement.EnumerateArray().SingleOrDefault(e => e.GetProperty("executor_id").GetString() == task.TaskId);
            Assert.True(entry.ValueKind == JsonValueKind.Object, $"no statistics entry for executor {task.TaskId}");
            Assert.True(entry.GetProperty("statistics").TryGetProperty("timestamp", out _), "statistics without a timestamp");

            await scheduler.KillAsync(task.TaskId, agent.AgentId);
            Assert.Equal("TASK_KILLED", (await scheduler.WaitForTerminalAsync(task.TaskId, context.TaskTimeout)).State);
        });

    [SkippableFact]
    public Task Off_TheExecutorGivesALongRunningTaskUpAfterAbout60Seconds() =>
        ScenarioAsync("container-pid", "off (--docker_use_container_pid, upstream default)", c => Triton(c).With(Features.ContainerPid.DockerUseContainerPid, true), async (context, cluster, agent) =>
        {
            await using var scheduler = await cluster.SubscribeAsync("pid-off");
            var task = cluster.NewTask(TaskId("sleep120"), "sleep 120");
            await scheduler.LaunchAsync(await scheduler.OfferAsync(o => o.AgentId == agent.AgentId, context.TaskTimeout, "from the agent"), task);
            var running = await scheduler.WaitForStateAsync(task.TaskId, context.TaskTimeout, "TASK_RUNNING");

            using var agentHttp = MesosCluster.AgentHttp(agent);
            var (status, body) = await agentHttp.GetAsync("/monitor/statistics");
            Output.WriteLine($"/monitor/statistics while running: {(int)status} {body}");

            var ended = await scheduler.WaitForTerminalAsync(task.TaskId, TimeSpan.FromSeconds(115));
            var after = ended.At - running.At;
            Output.WriteLine($"ended {after.TotalSeconds:0} s after TASK_RUNNING: {ended}");
            Assert.Equal("TASK_FAILED", ended.State);
            Assert.Contains("Failed to get exit status of container", ended.Message ?? "", StringComparison.Ordinal);
            Assert.InRange(after.TotalSeconds, 55, 115);
        });
}
