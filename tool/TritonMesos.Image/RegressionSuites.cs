namespace TritonMesos.Image;

/// <summary>One row of the regression comparison: a name, the googletest filter selecting its tests, and why it is in the list.</summary>
public sealed record RegressionSuite(string Name, string Filter, string Covers)
{
    /// <summary>Whether a test (<c>Suite.Name</c>) belongs to this row.</summary>
    public bool Matches(string fullName) => GtestFilter.Parse(Filter).Matches(fullName);

    /// <summary>
    /// The row's ROOT_DOCKER tests, which run only as root against a local engine (<c>--root-docker</c>): each whole-fixture
    /// pattern narrowed to <c>Fixture.ROOT_*DOCKER*</c>; patterns naming particular tests select none of them.
    /// </summary>
    public IReadOnlyList<string> RootDockerPatterns =>
        GtestFilter.Parse(Filter).Positive.Where(p => p.EndsWith(".*", StringComparison.Ordinal)).Select(p => p[..^1] + "ROOT_*DOCKER*").ToList();
}

/// <summary>
/// The suites the regression comparison runs on the patched build and the baseline (issue #17's list plus those covering
/// other code the series touches), in table order; a test belongs to the first row whose filter selects it.
/// </summary>
public static class RegressionSuites
{
    /// <summary>Every row, in table order.</summary>
    public static readonly IReadOnlyList<RegressionSuite> All =
    [
        new("MasterTest", "MasterTest.*", "master.cpp, validation.cpp (0008)"),
        new("MasterAllocatorTest", "MasterAllocatorTest/*.*", "master and allocator resource accounting (0008)"),
        new("HierarchicalAllocatorTest", "HierarchicalAllocatorTest*.*:*/HierarchicalAllocatorTest*.*", "allocator resource accounting (0008)"),
        new("ResourcesTest", "ResourcesTest.*", "resource arithmetic, port ranges (0008)"),
        new("AgentFlags", "SlaveTest.*Flag*:*/AgentAPITest.GetFlags/*:AgentValidationTest.*", "flags.cpp/flags.hpp (every new flag)"),
        new("SlaveTest", "SlaveTest.*", "slave.cpp (0008)"),
        new("SlaveRecoveryTest", "SlaveRecoveryTest/*.*:SlaveStateTest.*:MesosContainerizerSlaveRecoveryTest.*", "agent recovery with the Docker containerizer (0006, 0007)"),
        new("ReservationTest", "ReservationTest.*:ReservationCheckpointingTest.*", "reservations on the master (0008)"),
        new("PersistentVolumeTest", "*/PersistentVolumeTest.*/*", "persistent volumes on the master (0008)"),
        new("PortResources", "ValuesTest.*:NetworkPortsIsolatorTest.*:NetworkPortsIsolatorUtilityTest.*", "ranges and the ports isolator (0008, 0010); NetworkPortsIsolatorTest runs only as root"),
        new("DockerTest", "DockerTest.*:DockerImageTest.*", "docker.cpp/docker.hpp (0003-0007, 0009, 0011)"),
        new("DockerContainerizerTest", "DockerContainerizerTest.*:HungDockerTest.*", "the Docker containerizer and executor (0003-0011)"),
        new("HealthCheckTest", "HealthCheckTest.*:DockerContainerizerHealthCheckTest.*", "checks in the Docker executor (0006, 0011)"),
        new("CheckTest", "CheckTest.*:CommandExecutorCheckTest.*:DefaultExecutorCheckTest.*", "checker_process.cpp (0011)"),
        new("MasterFailover", "FaultToleranceTest.*", "master failover (1.11.0 has no MasterFailoverTest fixture; FaultToleranceTest holds the failover tests)"),
        new("ProtobufUtilTest", "ProtobufUtilTest.*", "protobuf_utils.cpp (0001)"),
    ];

    /// <summary>Every row's tests as one <c>--gtest_filter</c>.</summary>
    public static string Filter(IEnumerable<RegressionSuite> suites) => string.Join(':', suites.Select(s => s.Filter));

    /// <summary>The rows' ROOT_DOCKER tests as one <c>--gtest_filter</c>.</summary>
    public static string RootDockerFilter(IEnumerable<RegressionSuite> suites) => string.Join(':', suites.SelectMany(s => s.RootDockerPatterns));

    /// <summary>The rows named (case-insensitive), in table order; an unknown name is an error that lists the known ones.</summary>
    public static IReadOnlyList<RegressionSuite> Select(IReadOnlyCollection<string>? names)
    {
        if (names is not { Count: > 0 })
            return All;
        var unknown = names.Where(n => !All.Any(s => s.Name.Equals(n, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
            throw new TritonMesosException($"--suite: unknown suite(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}",
                nextStep: $"use one of: {string.Join(", ", All.Select(s => $"'{s.Name}'"))}");
        return All.Where(s => names.Any(n => s.Name.Equals(n, StringComparison.OrdinalIgnoreCase))).ToList();
    }

    /// <summary>
    /// The filter of one row's own run: its patterns (or, for <paramref name="rootDocker"/>, its ROOT_DOCKER patterns) minus
    /// the earlier rows' patterns, so a test two rows select runs once, in the row that counts it. Empty when nothing is left to run.
    /// </summary>
    public static string RunFilter(IReadOnlyList<RegressionSuite> suites, RegressionSuite row, bool rootDocker)
    {
        var positive = rootDocker ? row.RootDockerPatterns : GtestFilter.Parse(row.Filter).Positive;
        if (positive.Count == 0)
            return "";
        var earlier = suites.TakeWhile(s => s != row).SelectMany(s => GtestFilter.Parse(s.Filter).Positive).ToList();
        return new GtestFilter(positive, earlier).ToString();
    }

    /// <summary>The row a test belongs to, or null.</summary>
    public static RegressionSuite? RowOf(IEnumerable<RegressionSuite> suites, string fullName) => suites.FirstOrDefault(s => s.Matches(fullName));
}
