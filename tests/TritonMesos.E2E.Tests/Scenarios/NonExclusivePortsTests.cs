using TritonMesos.E2E.Tests.Fixture;
using TritonMesos.E2E.Tests.Mesos;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.E2E.Tests.Scenarios;

/// <summary>
/// Scenario 2, nonexclusive-ports: an agent whose ports resource is [80-80]. With `--no-exclusive_ports` two tasks
/// both mapping port 80 run at once (each container has its own IP on Triton); with the upstream default the second
/// waits until the first is gone. Either way the master survives a failover with the tasks running and offers the full
/// resources again at the end.
/// </summary>
public sealed class NonExclusivePortsTests(E2EFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const long Port = 80;
    private const string Resources = "cpus:4;mem:4096;disk:10000;ports:[80-80]";

    [SkippableFact]
    public Task On_TwoTasksOnPort80RunTogether_AndTheMasterSurvivesFailover() =>
        ScenarioAsync("nonexclusive-ports", "on (--no-exclusive_ports)", c => Triton(c).With("resources", Resources).With(Features.NonexclusivePorts.ExclusivePorts, false), async (context, cluster, agent) =>
        {
            await using var scheduler = await cluster.SubscribeAsync("ports-on");
            var first = cluster.NewTask(TaskId("port80-a"), "sleep 600").WithPorts(Port);
            var second = cluster.NewTask(TaskId("port80-b"), "sleep 600").WithPorts(Port);

            await scheduler.LaunchAsync(await OfferWithPortAsync(scheduler, agent, context), first);
            await scheduler.WaitForStateAsync(first.TaskId, context.TaskTimeout, "TASK_RUNNING");

            // The port stays in offers while the first task runs.
            await scheduler.LaunchAsync(await OfferWithPortAsync(scheduler, agent, context), second);
            await scheduler.WaitForStateAsync(second.TaskId, context.TaskTimeout, "TASK_RUNNING");

            var a = await TaskContainerAsync(context, first.TaskId, TimeSpan.FromSeconds(30));
            var b = await TaskContainerAsync(context, second.TaskId, TimeSpan.FromSeconds(30));
            Assert.True(a.State.Running && b.State.Running, $"both containers should run at once: {a.Name} {a.State.Status}, {b.Name} {b.State.Status}");
            Output.WriteLine($"running together: {a.Name} ({a.HostConfig.NetworkMode}), {b.Name} ({b.HostConfig.NetworkMode})");

            await FailoverAsync(context, cluster, scheduler, agent);
            var afterFailover = await OfferWithPortAsync(scheduler, agent, context);
            Output.WriteLine("after failover, with both tasks running: " + afterFailover);
            await scheduler.DeclineAsync(afterFailover);

            await KillAsync(scheduler, agent, context, first.TaskId, second.TaskId);
            await AssertHealthyWithFullOffersAsync(context, cluster, scheduler, agent);
        });

    [SkippableFact]
    public Task Off_TheSecondTaskWaitsForPort80_AndTheMasterSurvivesFailover() =>
        ScenarioAsync("nonexclusive-ports", "off (--exclusive_ports, upstream default)", c => Triton(c).With("resources", Resources).With(Features.NonexclusivePorts.ExclusivePorts, true), async (context, cluster, agent) =>
        {
            await using var scheduler = await cluster.SubscribeAsync("ports-off");
            var first = cluster.NewTask(TaskId("port80-a"), "sleep 600").WithPorts(Port);
            var second = cluster.NewTask(TaskId("port80-b"), "sleep 600").WithPorts(Port);

            await scheduler.LaunchAsync(await OfferWithPortAsync(scheduler, agent, context), first);
            await scheduler.WaitForStateAsync(first.TaskId, context.TaskTimeout, "TASK_RUNNING");
            await AssertNoOfferWithPortAsync(scheduler, agent, "while the first task holds port 80");

            await FailoverAsync(context, cluster, scheduler, agent);
            await AssertNoOfferWithPortAsync(scheduler, agent, "after the failover, while the first task holds port 80");

            // The second task can only start once the first has released the port.
            await KillAsync(scheduler, agent, context, first.TaskId);
            await scheduler.LaunchAsync(await OfferWithPortAsync(scheduler, agent, context), second);
            await scheduler.WaitForStateAsync(second.TaskId, context.TaskTimeout, "TASK_RUNNING");
            await KillAsync(scheduler, agent, context, second.TaskId);

            await AssertHealthyWithFullOffersAsync(context, cluster, scheduler, agent);
        });

    private static Task<Offer> OfferWithPortAsync(Scheduler scheduler, AgentHandle agent, E2EContext context) =>
        scheduler.OfferAsync(o => o.AgentId == agent.AgentId && o.Resources.HasPort(Port), context.TaskTimeout, $"from the agent with port {Port}");

    private async Task AssertNoOfferWithPortAsync(Scheduler scheduler, AgentHandle agent, string when)
    {
        var offers = (await scheduler.DeclineOffersForAsync(TimeSpan.FromSeconds(20))).Where(o => o.AgentId == agent.AgentId).ToList();
        Output.WriteLine($"{when}: {offers.Count} offer(s): {string.Join("; ", offers.Select(o => o.Resources))}");
        Assert.NotEmpty(offers);
        Assert.DoesNotContain(offers, o => o.Resources.HasPort(Port));
    }

    private async Task FailoverAsync(E2EContext context, MesosCluster cluster, Scheduler scheduler, AgentHandle agent)
    {
        var subscriptions = scheduler.Subscriptions;
        Output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] master failover: restarting the master on port {cluster.MasterPort}");
        await cluster.RestartMasterAsync();
        await scheduler.WaitForSubscriptionAsync(subscriptions + 1, context.StartTimeout);
        await Wait.UntilAsync("the agent to re-register with the new master", context.StartTimeout, async () =>
            MasterState.Agents(await cluster.StateAsync()).Any(a => a.Id == agent.AgentId && a.Active), TimeSpan.FromSeconds(2));
        Output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] agent {agent.AgentId} re-registered; framework re-subscribed");
    }

    private static async Task KillAsync(Scheduler scheduler, AgentHandle agent, E2EContext context, params string[] taskIds)
    {
        foreach (var id in taskIds)
            await scheduler.KillAsync(id, agent.AgentId);
        foreach (var id in taskIds)
            Assert.Equal("TASK_KILLED", (await scheduler.WaitForTerminalAsync(id, context.TaskTimeout)).State);
    }

    private async Task AssertHealthyWithFullOffersAsync(E2EContext context, MesosCluster cluster, Scheduler scheduler, AgentHandle agent)
    {
        var full = await scheduler.OfferAsync(
            o => o.AgentId == agent.AgentId && o.Resources.HasPort(Port) && o.Resources.Cpus >= 4 - 1e-6 && o.Resources.Mem >= 4096 - 1e-6,
            TimeSpan.FromSeconds(90), "with the agent's full resources (cpus 4, mem 4096, port 80)");
        Output.WriteLine("full offer again: " + full);
        await scheduler.DeclineAsync(full);

        var master = await cluster.MasterContainerStateAsync();
        Assert.True(master.Running, $"the master container stopped (exit code {master.ExitCode}): a CHECK failure aborts it");
        Assert.True(await cluster.Master.HealthyAsync(), "the master does not answer /health");
        var state = await cluster.StateAsync();
        var used = MasterState.Agents(state).Single(a => a.Id == agent.AgentId).Agent.GetProperty("used_resources");
        Assert.Equal(0, ResourceSummary.FromStateObject(used).Cpus, 6);
    }
}
