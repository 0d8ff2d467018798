using System.Diagnostics;
using System.Globalization;
using Docker.DotNet.Models;
using TritonMesos.E2E.Tests.Fixture;
using TritonMesos.E2E.Tests.Mesos;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.E2E.Tests.Scenarios;

/// <summary>
/// The production topology (issue 15): a 3-server ZooKeeper ensemble, 3 masters (<c>--zk</c>, <c>--quorum=2</c>,
/// <c>--registry=replicated_log</c>, <c>--domain</c>), and two agents with the Triton profile, each fronting its own data
/// center (private dockerd + TLS endpoint) with <c>--domain</c> region = that data center. A framework finds the leader
/// through the masters' /redirect. Every scenario ends with the leader's /master/state and the engines agreeing on every
/// task (running ⇔ one running container on that task's data center; terminal ⇔ no container left) and no running
/// container that Mesos does not know.
/// </summary>
public sealed class TopologyTests(E2EFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private static readonly (string Region, string Zone)[] Regions = [("us-east-1", "us-east-1a"), ("us-west-1", "us-west-1a")];

    private void Log(string line) => Output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss.f}] {line}");

    /// <summary>
    /// With the default timeouts, and with the masters' ZooKeeper session timeout at its floor (2 ZooKeeper ticks = 4 s): a
    /// new leader is elected only once the dead leader's session has expired, so that flag bounds the failover time.
    /// </summary>
    [SkippableTheory]
    [InlineData("defaults")]
    [InlineData("--zk_session_timeout=4secs")]
    public Task LeaderKill_WithTasksOnBothDataCenters_NewLeaderAgentsReregisterTasksStayRunning(string masterFlags) =>
        TopologyScenarioAsync("ha-leader-kill", $"3 masters, 2 data centers, {masterFlags}", async (context, cluster) =>
        {
            await using var scheduler = await cluster.SubscribeAsync("leader-kill", regionAware: true);
            var tasks = await LaunchOnEveryDataCenterAsync(context, cluster, scheduler, perDataCenter: 2);
            await AgreeAsync(cluster, scheduler, tasks);

            var leader = (await cluster.LeaderAsync())!;
            var failover = await KillLeaderAndMeasureAsync(context, cluster, scheduler, leader);
            await ReconcileAsync(context, scheduler, tasks.Keys);
            await AgreeAsync(cluster, scheduler, tasks);

            Log($"starting master {leader.Index} again: it rejoins as a follower");
            await cluster.StartMasterAsync(leader);
            await Wait.UntilAsync($"master {leader.Index} to name the new leader", context.StartTimeout,
                async () => (await cluster.LeaderAsync([leader]))?.Index is { } named && named != leader.Index, TimeSpan.FromSeconds(1));

            await KillAllAsync(context, cluster, scheduler, tasks);
            return failover;
        }, masterFlags == "defaults" ? [] : [masterFlags]);

    [SkippableFact]
    public Task ZooKeeperLoss_OneServerChangesNothing_TwoLeaveNoLeader_TasksKeepRunning_ClusterRecovers() =>
        TopologyScenarioAsync("ha-zookeeper-loss", "3 ZooKeeper servers", async (context, cluster) =>
        {
            await using var scheduler = await cluster.SubscribeAsync("zk-loss", regionAware: true);
            var tasks = await LaunchOnEveryDataCenterAsync(context, cluster, scheduler, perDataCenter: 1);
            await AgreeAsync(cluster, scheduler, tasks);
            var leader = (await cluster.LeaderAsync())!;

            // One server down (the ZooKeeper leader, the worst one): sessions move to the others within their timeout.
            var first = (await cluster.ZooKeeper.LeaderAsync())!.Value;
            await cluster.ZooKeeper.StopAsync(first);
            await cluster.ZooKeeper.WaitForQuorumAsync(TimeSpan.FromMinutes(1));
            Log($"ZooKeeper server {first} stopped: {await cluster.ZooKeeper.ModesAsync()}; waiting 25 s (2.5 session timeouts)");
            await Task.Delay(TimeSpan.FromSeconds(25));
            Assert.Equal(leader.Index, (await cluster.LeaderAsync())?.Index);
            foreach (var master in cluster.Masters)
                Assert.Equal(0, (await cluster.MasterContainerAsync(master)).RestartCount);
            var launched = await LaunchAsync(context, cluster, scheduler, cluster.DataCenters[0], TaskId("zk-one-down"));
            foreach (var (id, dc) in launched)
                tasks[id] = dc;
            await AgreeAsync(cluster, scheduler, tasks);
            Log($"with one ZooKeeper server down: same leader (master {leader.Index}), no master restarted, a new task ran");

            // A second server down: no quorum, so no leader; the agents' executors keep the tasks running.
            var second = (await cluster.ZooKeeper.LeaderAsync())!.Value;
            var clock = Stopwatch.StartNew();
            await cluster.ZooKeeper.StopAsync(second);
            await Wait.UntilAsync("no master to name a leader", TimeSpan.FromMinutes(2), async () => await cluster.LeaderAsync() is null, TimeSpan.FromMilliseconds(500));
            var noLeader = clock.Elapsed;
            Log($"ZooKeeper server {second} stopped too: {await cluster.ZooKeeper.ModesAsync()}; no leader after {noLeader.TotalSeconds:0.0} s");
            await Task.Delay(TimeSpan.FromSeconds(20));
            Assert.Null(await cluster.LeaderAsync());
            await AssertContainersRunningAsync(cluster, tasks);
            var restarts = new List<string>();
            foreach (var master in cluster.Masters)
                restarts.Add($"master {master.Index}: {(await cluster.MasterContainerAsync(master)).RestartCount} restart(s)");
            Log("without a ZooKeeper quorum: every task container still runs; " + string.Join(", ", restarts));

            cluster.ZooKeeper.Start(first);
            cluster.ZooKeeper.Start(second);
            clock.Restart();
            await cluster.ZooKeeper.WaitForQuorumAsync(TimeSpan.FromMinutes(2));
            var zkBack = clock.Elapsed;
            var newLeader = await cluster.WaitForLeaderAsync(context.StartTimeout);
            var leaderBack = clock.Elapsed;
            await WaitForAgentsAsync(context, cluster, newLeader);
            var agentsBack = clock.Elapsed;
            await scheduler.WaitForSubscriptionAsync(2, TimeSpan.FromMinutes(3));
            await ReconcileAsync(context, scheduler, tasks.Keys);
            await AgreeAsync(cluster, scheduler, tasks);
            await KillAllAsync(context, cluster, scheduler, tasks);
            return $"no leader {Seconds(noLeader)} after the 2nd ZooKeeper server stopped; after restarting both: ZooKeeper quorum {Seconds(zkBack)}, "
                + $"leader (master {newLeader.Index}) {Seconds(leaderBack)}, both agents re-registered {Seconds(agentsBack)}; {string.Join(", ", restarts)}";
        });

    [SkippableFact]
    public Task RegionAware_TasksLandOnlyOnTheAskedRegionsEngine_OthersGetOnlyTheMastersRegion() =>
        TopologyScenarioAsync("ha-region-aware", "REGION_AWARE placement", async (context, cluster) =>
        {
            var west = cluster.DataCenters[1];
            await using var plain = await cluster.SubscribeAsync("not-region-aware", regionAware: false);
            var seen = await plain.DeclineOffersForAsync(TimeSpan.FromSeconds(8), refuseSeconds: 1);
            Log($"framework without REGION_AWARE: {seen.Count} offers, regions {string.Join(",", seen.Select(o => o.Region).Distinct())}");
            Assert.NotEmpty(seen);
            Assert.All(seen, o => Assert.Equal(cluster.MasterRegion, o.Region));

            await using var aware = await cluster.SubscribeAsync("region-aware", regionAware: true);
            var tasks = await LaunchAsync(context, cluster, aware, west, TaskId("west-a"), TaskId("west-b"), TaskId("west-c"));
            await AgreeAsync(cluster, aware, tasks);
            var onWest = (await cluster.TaskContainersAsync(west)).Where(c => c.State == "running").ToList();
            var onEast = await cluster.TaskContainersAsync(cluster.DataCenters[0]);
            Assert.Equal(tasks.Keys.Order(), onWest.Select(c => c.Labels[MesosCluster.TaskLabel]).Order());
            Assert.Empty(onEast);
            var state = await cluster.LeaderStateAsync();
            foreach (var id in tasks.Keys)
                Assert.Equal(cluster.AgentOf(west).AgentId,
                    MasterState.Tasks(state).Single(t => t.TaskId == id).Task.GetProperty("slave_id").GetString());
            await KillAllAsync(context, cluster, aware, tasks);
            return $"{seen.Count} offers to the framework without REGION_AWARE, all from {cluster.MasterRegion}; 3 tasks asked in {west.Region}: 3 containers on its engine, 0 on {cluster.DataCenters[0].Region}'s";
        });

    [SkippableFact]
    public Task DataCenterEngineStops_OnlyItsTasksAreAffected_TheOtherRegionKeepsLaunching() =>
        TopologyScenarioAsync("ha-data-center-down", "one data center's engine stops", async (context, cluster) =>
        {
            var (east, west) = (cluster.DataCenters[0], cluster.DataCenters[1]);
            await using var scheduler = await cluster.SubscribeAsync("dc-down", regionAware: true);
            var tasks = await LaunchOnEveryDataCenterAsync(context, cluster, scheduler, perDataCenter: 1);
            await AgreeAsync(cluster, scheduler, tasks);
            var westTask = tasks.Single(t => t.Value == west).Key;

            Log($"stopping {west.Region}'s engine");
            await west.Dockerd.StopAsync();
            var ended = await scheduler.WaitForTerminalAsync(westTask, context.TaskTimeout);
            Log($"{west.Region}'s task ended: {ended}");
            var launched = await LaunchAsync(context, cluster, scheduler, east, TaskId("east-while-west-down"));
            foreach (var (id, dc) in launched)
                tasks[id] = dc;
            await AgreeAsync(cluster, scheduler, tasks, only: east);
            foreach (var (id, dc) in tasks.Where(t => t.Value == east))
                Assert.Equal("TASK_RUNNING", scheduler.LatestState(id));
            var agents = MasterState.Agents(await cluster.LeaderStateAsync()).ToList();
            Assert.All(cluster.DataCenters, dc => Assert.Contains(agents, a => a.Id == cluster.AgentOf(dc).AgentId && a.Active));

            Log($"starting {west.Region}'s engine again");
            await west.Dockerd.StartAgainAsync();
            var back = await LaunchAsync(context, cluster, scheduler, west, TaskId("west-after"));
            foreach (var (id, dc) in back)
                tasks[id] = dc;
            await AgreeAsync(cluster, scheduler, tasks);
            await KillAllAsync(context, cluster, scheduler, tasks);
            return $"{west.Region} engine stopped: its task ended {ended.State}; {east.Region} kept its task running and launched another; both agents stayed registered; {west.Region} launched again once its engine was back";
        });

    [SkippableFact]
    public Task AllMastersRestartAtOnce_RegistryRecoveredFromTheReplicatedLog_AgentsAndTasksRecovered() =>
        TopologyScenarioAsync("ha-all-masters-restart", "replicated log registry", async (context, cluster) =>
        {
            await using var scheduler = await cluster.SubscribeAsync("all-masters", regionAware: true);
            var tasks = await LaunchOnEveryDataCenterAsync(context, cluster, scheduler, perDataCenter: 1);
            await AgreeAsync(cluster, scheduler, tasks);
            var agentIds = cluster.DataCenters.Select(dc => cluster.AgentOf(dc).AgentId).ToList();
            var before = await RegistryAsync(cluster);
            Assert.All(agentIds, id => Assert.Contains(id, before));

            var clock = Stopwatch.StartNew();
            await cluster.RestartAllMastersAsync();
            var restarted = clock.Elapsed;
            var leader = await cluster.WaitForLeaderAsync(context.StartTimeout);
            var elected = clock.Elapsed;
            var after = await RegistryAsync(cluster);
            Assert.All(agentIds, id => Assert.Contains(id, after));
            await WaitForAgentsAsync(context, cluster, leader);
            var agentsBack = clock.Elapsed;
            await scheduler.WaitForSubscriptionAsync(2, TimeSpan.FromMinutes(3));
            await ReconcileAsync(context, scheduler, tasks.Keys);
            await AgreeAsync(cluster, scheduler, tasks);
            foreach (var master in cluster.Masters)
                Assert.True(Directory.Exists(Path.Combine(master.WorkDir, "replicated_log")), $"no replicated_log in {master.WorkDir}");
            await KillAllAsync(context, cluster, scheduler, tasks);
            return $"docker restart of the 3 masters took {Seconds(restarted)}; from its start: leader (master {leader.Index}) with the registry recovered {Seconds(elected)}, "
                + $"both agents re-registered with their ids {Seconds(agentsBack)}";
        });

    /// <summary>Skips, with the reason, what this machine or image cannot run; then runs the body against a fresh topology.</summary>
    private async Task TopologyScenarioAsync(string scenario, string feature, Func<E2EContext, HaCluster, Task<string>> body,
        IReadOnlyList<string>? masterFlags = null)
    {
        var context = await Fixture.RequireClusterAsync(Output);
        ZooKeeperEnsembleTests.RequireZooKeeper(Output);
        var why = PrivateDockerd.Unavailable() ?? await MasterProfileMissingAsync(context);
        if (why is not null)
            Output.WriteLine("SKIP: " + why);
        Skip.If(why is not null, why);
        await Fixture.RunScenarioAsync(scenario, feature, Output, async () =>
        {
            await using var cluster = await HaCluster.StartAsync(context, scenario, Regions, masterFlags: masterFlags);
            try
            {
                await AssertDomainsAsync(cluster);
                var detail = await body(context, cluster);
                Log("measured: " + detail);
                return detail;
            }
            catch (Exception)
            {
                Output.WriteLine("logs of this cluster: " + cluster.LogDir);
                throw;
            }
        });
    }

    /// <summary>Why the image cannot run the master profile (built before it existed), or null: runs `flags master` in a throw-away container.</summary>
    private static async Task<string?> MasterProfileMissingAsync(E2EContext context)
    {
        var created = await context.Engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = context.Image.Id,
            Cmd = ["flags", "master"],
            Env = ["TRITON_MESOS_ZK=zk://127.0.0.1:2181/mesos", "TRITON_MESOS_QUORUM=1"],
            Labels = new Dictionary<string, string> { [Engine.RunLabel] = context.RunId },
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        try
        {
            await context.Engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
            var exit = await context.Engine.Client.Containers.WaitContainerAsync(created.ID);
            return exit.StatusCode == 0
                ? null
                : $"{context.Image.Reference} has no master profile (its entrypoint answered `flags master` with exit {exit.StatusCode}: "
                  + $"{(await context.Engine.LogsAsync(created.ID, 5)).Trim()}); rebuild the image with `./build.sh Build`";
        }
        finally
        {
            await context.Engine.RemoveQuietlyAsync(created.ID);
        }
    }

    /// <summary>Asserts that each agent registered with its data center as its fault domain (rendered by the Triton profile).</summary>
    private static async Task AssertDomainsAsync(HaCluster cluster)
    {
        var state = await cluster.LeaderStateAsync();
        Assert.Equal(cluster.MasterRegion, state.GetProperty("domain").GetProperty("fault_domain").GetProperty("region").GetProperty("name").GetString());
        foreach (var dc in cluster.DataCenters)
        {
            var agent = MasterState.Agents(state).Single(a => a.Id == cluster.AgentOf(dc).AgentId).Agent;
            var fault = agent.GetProperty("domain").GetProperty("fault_domain");
            Assert.Equal(dc.Region, fault.GetProperty("region").GetProperty("name").GetString());
            Assert.Equal(dc.Zone, fault.GetProperty("zone").GetProperty("name").GetString());
        }
    }

    /// <summary>Launches <paramref name="perDataCenter"/> `sleep 600` tasks on every data center and waits until each runs.</summary>
    private static async Task<Dictionary<string, DataCenter>> LaunchOnEveryDataCenterAsync(E2EContext context, HaCluster cluster, Scheduler scheduler, int perDataCenter)
    {
        var tasks = new Dictionary<string, DataCenter>();
        foreach (var dc in cluster.DataCenters)
            foreach (var (id, where) in await LaunchAsync(context, cluster, scheduler, dc,
                         Enumerable.Range(1, perDataCenter).Select(i => TaskId(dc.Region + "-" + i)).ToArray()))
                tasks[id] = where;
        return tasks;
    }

    /// <summary>Launches `sleep 600` tasks with one offer from <paramref name="dc"/>'s agent (found by its region) and waits until they run.</summary>
    private static async Task<Dictionary<string, DataCenter>> LaunchAsync(E2EContext context, HaCluster cluster, Scheduler scheduler, DataCenter dc, params string[] taskIds)
    {
        var offer = await scheduler.OfferAsync(o => o.Region == dc.Region, context.TaskTimeout, "from region " + dc.Region);
        Assert.Equal(cluster.AgentOf(dc).AgentId, offer.AgentId);
        var specs = taskIds.Select(id => cluster.NewTask(id, "sleep 600")).ToArray();
        await scheduler.LaunchAsync(offer, specs);
        foreach (var id in taskIds)
            await scheduler.WaitForStateAsync(id, context.TaskTimeout, "TASK_RUNNING");
        return taskIds.ToDictionary(id => id, _ => dc);
    }

    /// <summary>
    /// Kills the leading master (SIGKILL) and measures, from the kill: the new leader's election (its elected_time), its
    /// /master/state answering, every agent re-registered, and the framework re-subscribed.
    /// </summary>
    private async Task<string> KillLeaderAndMeasureAsync(E2EContext context, HaCluster cluster, Scheduler scheduler, MasterNode leader)
    {
        var survivors = cluster.Masters.Where(m => m != leader).ToList();
        var subscriptions = scheduler.Subscriptions;
        var killedAt = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        await cluster.KillMasterAsync(leader);
        Log($"killed the leading master {leader.Index} (SIGKILL)");
        var next = await cluster.WaitForLeaderAsync(TimeSpan.FromMinutes(3), survivors, TimeSpan.FromMilliseconds(100));
        var answered = clock.Elapsed;
        var state = await cluster.GetJsonAsync(next, "/master/state");
        var elected = DateTime.UnixEpoch.AddSeconds(state.GetProperty("elected_time").GetDouble()) - killedAt;
        await WaitForAgentsAsync(context, cluster, next, TimeSpan.FromMilliseconds(100));
        var agents = clock.Elapsed;
        await scheduler.WaitForSubscriptionAsync(subscriptions + 1, TimeSpan.FromMinutes(3));
        var framework = clock.Elapsed;
        Assert.Equal(next.Port, scheduler.Master.Port);
        var (running, _) = await cluster.MasterContainerAsync(leader);
        Assert.False(running, $"master {leader.Index} was restarted after the kill");
        return $"leader master {leader.Index} killed: master {next.Index} elected {Seconds(elected)} after the kill, its /master/state answered {Seconds(answered)}, "
            + $"both agents re-registered {Seconds(agents)}, framework re-subscribed {Seconds(framework)}";
    }

    /// <summary>Waits (bounded) until the leader lists every agent of the cluster, with its id, as active.</summary>
    private static Task WaitForAgentsAsync(E2EContext context, HaCluster cluster, MasterNode leader, TimeSpan? interval = null)
    {
        var ids = cluster.DataCenters.Select(dc => cluster.AgentOf(dc).AgentId).ToList();
        var last = "";
        return Wait.UntilAsync($"both agents to re-register with master {leader.Index}", context.StartTimeout, async () =>
        {
            var agents = MasterState.Agents(await cluster.GetJsonAsync(leader, "/master/state")).ToList();
            last = string.Join(", ", agents.Select(a => $"{a.Id} active={a.Active}"));
            return ids.All(id => agents.Any(a => a.Id == id && a.Active));
        }, interval ?? TimeSpan.FromMilliseconds(500), () => last);
    }

    /// <summary>Asks for reconciliation and waits (bounded) until each task has answered TASK_RUNNING since the request.</summary>
    private async Task ReconcileAsync(E2EContext context, Scheduler scheduler, IEnumerable<string> taskIds)
    {
        var since = DateTime.UtcNow;
        await scheduler.ReconcileAsync();
        foreach (var id in taskIds)
            await Wait.UntilAsync($"a reconciliation update for {id}", context.TaskTimeout,
                () => Task.FromResult(scheduler.Updates(id).Any(u => u.At >= since && u.State == "TASK_RUNNING")),
                TimeSpan.FromMilliseconds(500), () => string.Join(" → ", scheduler.Updates(id)));
        Log($"reconciled: {string.Join(", ", taskIds.Select(id => $"{id} {scheduler.LatestState(id)}"))}");
    }

    /// <summary>Kills every task that runs, waits for each to end, and checks that the engines agree (no container left).</summary>
    private static async Task KillAllAsync(E2EContext context, HaCluster cluster, Scheduler scheduler, IReadOnlyDictionary<string, DataCenter> tasks)
    {
        foreach (var (id, dc) in tasks.Where(t => scheduler.LatestState(t.Key) == "TASK_RUNNING"))
            await scheduler.KillAsync(id, cluster.AgentOf(dc).AgentId);
        foreach (var id in tasks.Keys)
            await scheduler.WaitForTerminalAsync(id, context.TaskTimeout);
        await AgreeAsync(cluster, scheduler, tasks);
    }

    /// <summary>Asserts that every task's container runs on its data center's engine (used while no master leads).</summary>
    private static async Task AssertContainersRunningAsync(HaCluster cluster, IReadOnlyDictionary<string, DataCenter> tasks)
    {
        foreach (var (id, dc) in tasks)
            Assert.Contains(await cluster.TaskContainersAsync(dc), c => c.Labels[MesosCluster.TaskLabel] == id && c.State == "running");
    }

    /// <summary>
    /// Waits (bounded) until the leader's /master/state and the engines agree on every task (of the data center
    /// <paramref name="only"/>, or all): TASK_RUNNING ⇔ exactly one running container, on that task's data center;
    /// terminal ⇔ no container on any engine. Then asserts no engine runs a container of this cluster that Mesos does not
    /// list as running.
    /// </summary>
    private static async Task AgreeAsync(HaCluster cluster, Scheduler scheduler, IReadOnlyDictionary<string, DataCenter> tasks, DataCenter? only = null)
    {
        var engines = only is null ? cluster.DataCenters : [only];
        var last = "";
        await Wait.UntilAsync("the master and the engines to agree on every task", TimeSpan.FromMinutes(3), async () =>
        {
            var state = await cluster.LeaderStateAsync();
            var containers = new List<(DataCenter Dc, ContainerListResponse Container)>();
            foreach (var dc in engines)
                containers.AddRange((await cluster.TaskContainersAsync(dc)).Select(c => (dc, c)));
            var problems = new List<string>();
            foreach (var (id, dc) in tasks.Where(t => engines.Contains(t.Value)))
            {
                var mesos = MasterState.TaskState(state, id);
                var mine = containers.Where(c => c.Container.Labels[MesosCluster.TaskLabel] == id).ToList();
                var ok = mesos switch
                {
                    "TASK_RUNNING" => mine.Count == 1 && mine[0].Dc == dc && mine[0].Container.State == "running",
                    not null when Scheduler.Terminal.Contains(mesos) => mine.Count == 0,
                    _ => false,
                };
                if (!ok)
                    problems.Add($"{id}: master {mesos ?? "(not listed)"}, engines: "
                        + (mine.Count == 0 ? "no container" : string.Join("; ", mine.Select(c => $"{c.Dc.Region} {c.Container.State}"))));
            }
            var known = MasterState.Tasks(state).Where(t => t.State == "TASK_RUNNING").Select(t => t.TaskId).ToHashSet();
            problems.AddRange(containers.Where(c => c.Container.State == "running" && !known.Contains(c.Container.Labels[MesosCluster.TaskLabel]))
                .Select(c => $"orphan: {c.Container.Names[0]} ({c.Container.Labels[MesosCluster.TaskLabel]}) runs on {c.Dc.Region}"));
            last = problems.Count == 0 ? "agreed" : string.Join(" | ", problems);
            return problems.Count == 0;
        }, TimeSpan.FromSeconds(2), () => last);
    }

    /// <summary>The registry the leader recovered from the replicated log (/registrar(1)/registry), as text.</summary>
    private static async Task<string> RegistryAsync(HaCluster cluster)
    {
        var leader = await cluster.LeaderAsync() ?? throw new InvalidOperationException("no leading master");
        var (status, body) = await cluster.GetAsync(leader, "/registrar(1)/registry");
        Assert.True(status == System.Net.HttpStatusCode.OK, $"/registrar(1)/registry answered {(int)status}: {body}");
        return body;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
