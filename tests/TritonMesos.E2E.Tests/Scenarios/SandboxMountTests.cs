using TritonMesos.E2E.Tests.Fixture;
using TritonMesos.E2E.Tests.Mesos;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.E2E.Tests.Scenarios;

/// <summary>Scenario 1, sandbox-mount: `--no-docker_mount_sandbox` (Triton) versus the upstream sandbox bind mount.</summary>
public sealed class SandboxMountTests(E2EFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const string Marker = "triton-mesos-e2e-stdout-marker";

    [SkippableFact]
    public Task On_TaskFinishesWithoutHostBindMountAndItsStdoutIsInTheSandbox() =>
        ScenarioAsync("sandbox-mount", "on (--no-docker_mount_sandbox)", Triton, async (context, cluster, agent) =>
        {
            await using var scheduler = await cluster.SubscribeAsync("sandbox-on");
            var task = cluster.NewTask(TaskId("sandbox-on"), $"echo {Marker}; sleep 5");
            var offer = await scheduler.OfferAsync(o => o.AgentId == agent.AgentId, context.TaskTimeout, "from the agent");
            await scheduler.LaunchAsync(offer, task);

            await scheduler.WaitForStateAsync(task.TaskId, context.TaskTimeout, "TASK_RUNNING");
            var container = await TaskContainerAsync(context, task.TaskId, TimeSpan.FromSeconds(30));
            Output.WriteLine($"container {container.Name}: binds [{string.Join(", ", HostBinds(container))}], network {container.HostConfig.NetworkMode}");
            Assert.Empty(HostBinds(container));

            var finished = await scheduler.WaitForTerminalAsync(task.TaskId, context.TaskTimeout);
            Assert.Equal("TASK_FINISHED", finished.State);

            var stdout = MesosCluster.SandboxesOf(agent, task.TaskId).Select(d => Path.Combine(d, "stdout")).Where(File.Exists).ToList();
            Assert.NotEmpty(stdout);
            Assert.Contains(stdout, f => File.ReadAllText(f).Contains(Marker, StringComparison.Ordinal));
        });

    [SkippableFact]
    public Task Off_TheEndpointRefusesTheSandboxBindMountAsTritonDoesAndTheTaskFails() =>
        ScenarioAsync("sandbox-mount", "off (--docker_mount_sandbox, upstream default)", c => Triton(c).With(Features.SandboxMount.DockerMountSandbox, true), async (context, cluster, agent) =>
        {
            await using var scheduler = await cluster.SubscribeAsync("sandbox-off");
            var task = cluster.NewTask(TaskId("sandbox-off"), $"echo {Marker}");
            var offer = await scheduler.OfferAsync(o => o.AgentId == agent.AgentId, context.TaskTimeout, "from the agent");
            await scheduler.LaunchAsync(offer, task);

            var ended = await scheduler.WaitForTerminalAsync(task.TaskId, context.TaskTimeout);
            Assert.Equal("TASK_FAILED", ended.State);

            // Triton: 422 "(Validation) Invalid binds: <sandbox>:/mnt/mesos/sandbox: <sandbox> is not a valid volume name".
            // The docker CLI prints the daemon's message on stderr, which the executor writes to the sandbox.
            var stderr = MesosCluster.SandboxStderr(agent, task.TaskId);
            Output.WriteLine($"status message: {ended.Message}\nsandbox stderr (tail): {Tail(stderr)}");
            Assert.True(
                (ended.Message ?? "").Contains("Invalid binds", StringComparison.Ordinal) || stderr.Contains("Invalid binds", StringComparison.Ordinal),
                $"neither the status message nor the sandbox stderr carries Triton's refusal (\"Invalid binds\"): message={ended.Message}; stderr={Tail(stderr)}");
            Assert.Contains("is not a valid volume name", (ended.Message ?? "") + stderr, StringComparison.Ordinal);

            // Nothing refused reaches the engine.
            Assert.Empty(await context.Engine.ContainersAsync(MesosCluster.TaskLabel, task.TaskId));
        });

    private static string Tail(string s) => s.Length <= 1500 ? s : "…" + s[^1500..];
}
