using Docker.DotNet.Models;
using TritonMesos.E2E.Tests.Fixture;
using TritonMesos.E2E.Tests.Mesos;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.E2E.Tests.Scenarios;

/// <summary>Shared plumbing of the scenario classes: the fixture, the test output, and a cluster with one agent.</summary>
[Collection(E2ECollection.Name)]
public abstract class E2ETest(E2EFixture fixture, ITestOutputHelper output)
{
    protected E2EFixture Fixture { get; } = fixture;

    protected ITestOutputHelper Output { get; } = output;

    /// <summary>The Triton profile, talking to the run's endpoint over TCP+TLS with the fixture's client certificate.</summary>
    protected static AgentSpec Triton(E2EContext context) => AgentSpec.Triton.WithTls(context.Tls.ClientDir);

    /// <summary>Runs a scenario against a fresh master and one agent started with <paramref name="spec"/>; removes them afterwards.</summary>
    protected Task ScenarioAsync(string scenario, string feature, Func<E2EContext, AgentSpec> spec, Func<E2EContext, MesosCluster, AgentHandle, Task> body) =>
        ScenarioAsync(scenario, feature, async (context, cluster) =>
        {
            var agent = await cluster.StartAgentAsync(spec(context));
            await body(context, cluster, agent);
        });

    /// <summary>Runs a scenario against a fresh master (the body starts its own agents); removes everything afterwards.</summary>
    protected async Task ScenarioAsync(string scenario, string feature, Func<E2EContext, MesosCluster, Task> body)
    {
        var context = await Fixture.RequireClusterAsync(Output);
        await Fixture.RunScenarioAsync(scenario, feature, Output, async () =>
        {
            await using var cluster = await MesosCluster.StartAsync(context, $"{scenario}-{feature}");
            try
            {
                await body(context, cluster);
            }
            catch (Exception)
            {
                Output.WriteLine("endpoint log tail:\n" + Fixture.EndpointLogTail());
                Output.WriteLine("logs of this cluster: " + cluster.LogDir);
                throw;
            }
            await AssertTaskContainersTritonValidAsync(context, cluster);
        });
    }

    /// <summary>Asserts that every task container of the cluster still on the engine has a Triton-valid name and no host bind mount.</summary>
    protected static async Task AssertTaskContainersTritonValidAsync(E2EContext context, MesosCluster cluster)
    {
        foreach (var container in await cluster.TaskContainersAsync())
        {
            var inspect = await context.Engine.InspectAsync(container.ID);
            if (inspect is null)
                continue;
            AssertTritonName(inspect.Name);
            Assert.True(HostBinds(inspect).Count == 0, $"container {inspect.Name} has host bind mounts: {string.Join(", ", HostBinds(inspect))}");
        }
    }

    /// <summary>The host bind mounts of a container (HostConfig.Binds and Mounts of type bind).</summary>
    protected static IReadOnlyList<string> HostBinds(ContainerInspectResponse inspect) =>
        [
            .. inspect.HostConfig?.Binds ?? [],
            .. (inspect.Mounts ?? []).Where(m => m.Type == "bind").Select(m => $"{m.Source}:{m.Destination}"),
        ];

    /// <summary>Asserts Mesos' container name (mesos-&lt;uuid&gt;) and Triton's alias rule (regex, at most 189 characters).</summary>
    protected static void AssertTritonName(string name)
    {
        var bare = name.TrimStart('/');
        Assert.Matches(Engine.MesosContainerName(), bare);
        Assert.Matches(Engine.TritonAlias(), bare);
        Assert.True(bare.Length <= Engine.TritonAliasMaxLength, $"{bare} is longer than Triton's {Engine.TritonAliasMaxLength} characters");
    }

    /// <summary>The engine's container of a task (found by the task label the suite puts on it), waiting (bounded) until it exists.</summary>
    protected static async Task<ContainerInspectResponse> TaskContainerAsync(E2EContext context, string taskId, TimeSpan timeout) =>
        await Wait.ForAsync($"the container of task {taskId} on the engine", timeout, async () =>
        {
            var found = await context.Engine.ContainersAsync(MesosCluster.TaskLabel, taskId);
            return found.Count == 0 ? null : await context.Engine.InspectAsync(found[0].ID);
        });

    /// <summary>Short, unique task ids.</summary>
    protected static string TaskId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}
