using TritonMesos.E2E.Tests.Fixture;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.E2E.Tests.Scenarios;

/// <summary>
/// Scenario 5, container-names: every container the agent creates is named mesos-&lt;uuid&gt; and passes Triton's alias
/// rule. There is no flag: Mesos names containers in lower case since 1.4.0, so the same check runs with the Triton
/// profile here and on every task container left at the end of every other scenario.
/// </summary>
public sealed class ContainerNamesTests(E2EFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [SkippableFact]
    public Task NoFlag_EveryContainerTheAgentCreatesHasATritonValidName() =>
        ScenarioAsync("container-names", "no flag (upstream naming since 1.4.0)", Triton, async (context, cluster, agent) =>
        {
            await using var scheduler = await cluster.SubscribeAsync("names");
            var tasks = Enumerable.Range(1, 3).Select(i => cluster.NewTask(TaskId($"name{i}"), "sleep 60")).ToArray();
            await scheduler.LaunchAsync(await scheduler.OfferAsync(o => o.AgentId == agent.AgentId, context.TaskTimeout, "from the agent"), tasks);
            foreach (var task in tasks)
                await scheduler.WaitForStateAsync(task.TaskId, context.TaskTimeout, "TASK_RUNNING");

            var names = new List<string>();
            foreach (var task in tasks)
            {
                var container = await TaskContainerAsync(context, task.TaskId, TimeSpan.FromSeconds(30));
                Output.WriteLine($"{task.TaskId}: {container.Name}");
                AssertTritonName(container.Name);
                names.Add(container.Name);
            }
            Assert.Equal(names.Count, names.Distinct().Count());

            foreach (var task in tasks)
                await scheduler.KillAsync(task.TaskId, agent.AgentId);
            foreach (var task in tasks)
                Assert.Equal("TASK_KILLED", (await scheduler.WaitForTerminalAsync(task.TaskId, context.TaskTimeout)).State);
        });
}
