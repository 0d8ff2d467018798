using TritonMesos.E2E.Tests.Fixture;
using TritonMesos.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.E2E.Tests.Scenarios;

/// <summary>
/// The fixture's ZooKeeper ensemble on its own (no Mesos, no image, so it runs in CI): three servers elect a leader; with
/// one stopped the other two still serve; with two stopped the last one stops serving; when they return, a quorum again.
/// </summary>
public sealed class ZooKeeperEnsembleTests(E2EFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    /// <summary>Skips (fails under CI, which installs the package) when Debian's zookeeper or java is missing.</summary>
    public static void RequireZooKeeper(ITestOutputHelper output)
    {
        if (ZooKeeperEnsemble.Unavailable() is not { } why)
            return;
        if (DockerEngine.UnderCi)
            Assert.Fail("ZooKeeper required under CI (.ci/run installs it): " + why);
        output.WriteLine("SKIP: " + why);
        Skip.If(true, "ZooKeeper not available: " + why);
    }

    [SkippableFact]
    public async Task Ensemble_KeepsAQuorumWithOneServerDown_LosesItWithTwo_AndRecovers()
    {
        RequireZooKeeper(Output);
        var root = Path.Combine(Fixture.WorkRoot, "zk-" + Guid.NewGuid().ToString("N")[..6]);
        void Log(string line) => Output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");
        await Fixture.RunScenarioAsync("zookeeper-ensemble", "3 servers", Output, async () =>
        {
            await using var zk = await ZooKeeperEnsemble.StartAsync(root, Path.Combine(Fixture.OutRoot, "logs", "zookeeper-ensemble"), Log);
            Log($"ZooKeeper {await zk.VersionAsync()}: {await zk.ModesAsync()} ({zk.ConnectString})");
            Assert.Matches(@"^\d+\.\d+\.\d+$", await zk.VersionAsync());
            foreach (var node in zk.Nodes)
                Assert.Equal($"{node.Id}\n", await File.ReadAllTextAsync(Path.Combine(node.DataDir, "myid")));

            var leader = (await zk.LeaderAsync())!.Value;
            await zk.StopAsync(leader);
            await zk.WaitForQuorumAsync(TimeSpan.FromMinutes(1));
            var second = (await zk.LeaderAsync())!.Value;
            Log($"leader {leader} stopped: {await zk.ModesAsync()}");
            Assert.NotEqual(leader, second);

            await zk.StopAsync(second);
            var last = zk.Nodes.Single(n => zk.IsRunning(n.Id)).Id;
            await Wait.UntilAsync($"server {last} to stop serving without a quorum", TimeSpan.FromMinutes(1),
                async () => await zk.ModeAsync(last) is "not serving" or null, TimeSpan.FromMilliseconds(500));
            Log($"two servers stopped: {await zk.ModesAsync()}");

            zk.Start(leader);
            zk.Start(second);
            await zk.WaitForQuorumAsync(TimeSpan.FromMinutes(2));
            Log($"both back: {await zk.ModesAsync()}");
        });
    }
}
