using System.CommandLine;
using Xunit;

namespace TritonMesos.Image.Tests;

/// <summary>The regression comparison without Mesos: gtest XML reports written here, parsed, compared and tabulated.</summary>
public sealed class MesosRegressionTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("triton-mesos-regression-").FullName;

    public void Dispose() => Directory.Delete(_output, recursive: true);

    /// <summary>googletest 1.8's report (Mesos 1.11.0 bundles it): status="run"/"notrun", failures with a message and CDATA.</summary>
    private static string Gtest18Report(params (string Suite, string Name, string Outcome)[] cases) =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites tests="{cases.Length}" failures="{cases.Count(c => c.Outcome == "fail")}" disabled="0" errors="0" timestamp="2026-12-03T16:00:00" time="12.5" name="AllTests">
        {string.Join("\n", cases.GroupBy(c => c.Suite).Select(g => $"""
          <testsuite name="{g.Key}" tests="{g.Count()}" failures="{g.Count(c => c.Outcome == "fail")}" disabled="0" errors="0" time="1.2">
        {string.Join("\n", g.Select(c => c.Outcome switch
        {
            "fail" => $"""
                <testcase name="{c.Name}" status="run" time="0.3" classname="{g.Key}">
                  <failure message="../../src/tests/master_tests.cpp:123&#x0A;Value of: offers-&gt;size()&#x0A;  Actual: 0&#x0A;Expected: 1" type=""><![CDATA[../../src/tests/master_tests.cpp:123
            Value of: offers->size()
              Actual: 0
            Expected: 1]]></failure>
                </testcase>
            """,
            "notrun" => $"""    <testcase name="{c.Name}" status="notrun" time="0" classname="{g.Key}" />""",
            _ => $"""    <testcase name="{c.Name}" status="run" time="0.12" classname="{g.Key}" />""",
        }))}
          </testsuite>
        """))}
        </testsuites>
        """;

    private string WriteReport(string build, string name, string xml)
    {
        var directory = Path.Combine(_output, build);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, xml);
        return path;
    }

    [Fact]
    public void Reports_of_googletest_18_and_newer_are_read_with_failures_and_skips()
    {
        var old = WriteReport("a", "old.xml", Gtest18Report(("MasterTest", "Ok", "pass"), ("MasterTest", "Broken", "fail"),
            ("MasterTest", "DISABLED_Later", "notrun")));
        var newer = WriteReport("a", "new.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites tests="3" failures="1" disabled="0" errors="0" time="0.5" name="AllTests">
              <testsuite name="DockerTest" tests="3" failures="1" disabled="0" skipped="1" errors="0" time="0.5">
                <testcase name="ROOT_DOCKER_Skipped" status="run" result="skipped" time="0" classname="DockerTest">
                  <skipped message="no engine"><![CDATA[no engine]]></skipped>
                </testcase>
                <testcase name="Bare" status="run" time="0" classname="DockerTest"><skipped/></testcase>
                <testcase name="Failing" status="run" result="completed" time="0.25" classname="DockerTest">
                  <failure message="boom" type=""><![CDATA[boom]]></failure>
                </testcase>
              </testsuite>
            </testsuites>
            """);

        var oldCases = MesosTestResult.ReadReport(old);
        var newCases = MesosTestResult.ReadReport(newer);

        Assert.Equal(["MasterTest.Ok passed", "MasterTest.Broken failed", "MasterTest.DISABLED_Later skipped"], oldCases.Select(Describe));
        Assert.StartsWith("../../src/tests/master_tests.cpp:123", oldCases[1].Failure);
        Assert.Equal(["DockerTest.ROOT_DOCKER_Skipped skipped", "DockerTest.Bare skipped", "DockerTest.Failing failed"], newCases.Select(Describe));
        Assert.Equal(0.25, newCases[2].Seconds);
    }

    [Fact]
    public void A_truncated_report_is_an_error_naming_the_file_and_line()
    {
        var path = WriteReport("a", "cut.xml", "<?xml version=\"1.0\"?>\n<testsuites>\n  <testsuite name=\"MasterTest\">\n");

        var e = Assert.Throws<TritonMesosException>(() => MesosTestResult.ReadReport(path));

        Assert.Equal(path, e.File);
        Assert.NotNull(e.Line);
        Assert.Contains("rerun", e.Render());
    }

    private static string Describe(MesosTestCase c) => $"{c.FullName} {(c.Failed ? "failed" : c.Skipped ? "skipped" : "passed")}";

    [Fact]
    public void Comparison_counts_each_suite_and_lists_regressions_failures_on_both_and_tests_absent_on_one_side()
    {
        var patched = MesosTestResult.ReadReport(WriteReport("patched", "r.xml", Gtest18Report(
            ("MasterTest", "A", "pass"), ("MasterTest", "B", "fail"), ("MasterTest", "C", "fail"), ("MasterTest", "D", "pass"),
            ("SlaveTest", "ExecutorReregistrationTimeoutFlag", "pass"), ("SlaveTest", "Other", "notrun"),
            ("DockerTest", "ROOT_DOCKER_X", "pass"), ("UnlistedTest", "Z", "fail"))));
        var baseline = MesosTestResult.ReadReport(WriteReport("baseline", "r.xml", Gtest18Report(
            ("MasterTest", "A", "pass"), ("MasterTest", "B", "pass"), ("MasterTest", "C", "fail"), ("MasterTest", "D", "fail"),
            ("SlaveTest", "ExecutorReregistrationTimeoutFlag", "pass"), ("SlaveTest", "Other", "pass"))));

        var comparison = MesosTestComparison.Compare(RegressionSuites.All, patched, baseline);

        var rows = comparison.Rows.ToDictionary(r => r.Suite.Name);
        Assert.Equal((new SuiteTally(2, 2, 0), new SuiteTally(2, 2, 0)), (rows["MasterTest"].Patched, rows["MasterTest"].Baseline));
        // The flag test is counted in the first row that selects it, not again under SlaveTest.
        Assert.Equal((new SuiteTally(1, 0, 0), new SuiteTally(1, 0, 0)), (rows["AgentFlags"].Patched, rows["AgentFlags"].Baseline));
        Assert.Equal((new SuiteTally(0, 0, 1), new SuiteTally(1, 0, 0)), (rows["SlaveTest"].Patched, rows["SlaveTest"].Baseline));
        // Absent from the baseline's report: not run there.
        Assert.Equal((new SuiteTally(1, 0, 0), new SuiteTally(0, 0, 1)), (rows["DockerTest"].Patched, rows["DockerTest"].Baseline));
        Assert.Equal(new SuiteTally(4, 2, 1), comparison.PatchedTotal);
        Assert.Equal(new SuiteTally(4, 2, 1), comparison.BaselineTotal);

        var regression = Assert.Single(comparison.Regressions);
        Assert.Equal(("MasterTest.B", "MasterTest", TestOutcome.Failed, TestOutcome.Passed), (regression.FullName, regression.Suite, regression.Patched, regression.Baseline));
        Assert.Equal(["MasterTest.C"], comparison.FailingOnBoth.Select(t => t.FullName));
        Assert.Equal(["MasterTest.D"], comparison.FixedPatched.Select(t => t.FullName));
        Assert.Equal(["UnlistedTest.Z"], comparison.OutsideSuites);
        Assert.True(comparison.HasRegressions);
    }

    [Fact]
    public void Markdown_has_one_row_per_suite_a_total_the_lists_and_the_times()
    {
        var patched = MesosTestResult.ReadReport(WriteReport("patched", "r.xml", Gtest18Report(("MasterTest", "A", "pass"), ("MasterTest", "B", "fail"))));
        var baseline = MesosTestResult.ReadReport(WriteReport("baseline", "r.xml", Gtest18Report(("MasterTest", "A", "pass"), ("MasterTest", "B", "pass"))));
        var comparison = MesosTestComparison.Compare(RegressionSuites.All, patched, baseline);

        var md = comparison.ToMarkdown("tests:patched", "tests:baseline",
            [new ComparisonTiming("build patched", TimeSpan.FromMinutes(12.5)), new ComparisonTiming("run patched", TimeSpan.FromSeconds(40))]);
        var lines = md.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        Assert.Contains("| MasterTest (`MasterTest.*`) | 1 | 1 | 0 | 2 | 0 | 0 |", lines);
        Assert.Contains("| DockerTest (`DockerTest.*:DockerImageTest.*`) | 0 | 0 | 0 | 0 | 0 | 0 |", lines);
        Assert.Contains("| **Total** | 1 | 1 | 0 | 2 | 0 | 0 |", lines);
        Assert.Equal(RegressionSuites.All.Count + 1, lines.Count(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| Suite", StringComparison.Ordinal)));
        Assert.Contains("Regressions (pass on the baseline, fail patched): 1", lines);
        Assert.Contains("- `MasterTest.B` (MasterTest): ../../src/tests/master_tests.cpp:123", lines);
        Assert.Contains("Failing on both builds: none.", lines);
        Assert.Contains("- build patched: 12.5 min", lines);
        Assert.Contains("- run patched: 40 s", lines);
        Assert.Contains("- total: 13.2 min", lines);
        Assert.Contains("MasterTest                 1/1/0                        2/0/0", comparison.ToText());
        Assert.Contains("REGRESSION: MasterTest.B (MasterTest)", comparison.ToText());
    }

    [Fact]
    public void A_root_docker_run_replaces_the_unprivileged_runs_skip_of_the_same_test()
    {
        var unprivileged = new[] { new MesosTestCase("DockerTest", "ROOT_DOCKER_X", "skipped", 0, null), new MesosTestCase("DockerTest", "Y", "completed", 1, null) };
        var root = new[] { new MesosTestCase("DockerTest", "ROOT_DOCKER_X", "completed", 2, "failed as root") };

        var merged = MesosTestComparison.Merge(unprivileged, root);

        Assert.Equal(["DockerTest.ROOT_DOCKER_X failed", "DockerTest.Y passed"], merged.Select(Describe).Order());
    }

    [Fact]
    public void The_suite_list_covers_every_suite_of_the_issue_once_with_names_a_build_parameter_can_carry()
    {
        // One test name of each suite issue #17 asks for, as googletest names them in 1.11.0 (typed and parameterized forms included).
        string[] issueSuites =
        [
            "MasterTest.IgnoreEphemeralPortsResource", "MasterAllocatorTest/0.FrameworkExited", "HierarchicalAllocatorTest.UnreservedDRF",
            "ResourcesTest.Parsing", "SlaveTest.ShutdownUnregisteredExecutor", "SlaveRecoveryTest/0.RecoverSlaveState",
            "ReservationTest.ReserveThenUnreserve", "DiskResource/PersistentVolumeTest.SendingCheckpointResourcesMessage/0",
            "DockerTest.ROOT_DOCKER_interface", "DockerContainerizerTest.ROOT_DOCKER_Launch", "HealthCheckTest.HealthyTask",
            "ValuesTest.RangesSubtract", "FaultToleranceTest.MasterFailover", "SlaveTest.ExecutorReregistrationTimeoutFlag",
        ];
        foreach (var name in issueSuites)
            Assert.True(RegressionSuites.RowOf(RegressionSuites.All, name) is not null, $"{name} is in no row");
        var filter = GtestFilter.Parse(RegressionSuites.Filter(RegressionSuites.All));
        Assert.All(issueSuites, name => Assert.True(filter.Matches(name), $"{name} is not run"));
        Assert.Equal(RegressionSuites.All.Count, RegressionSuites.All.Select(s => s.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(RegressionSuites.All, s => Assert.DoesNotMatch(@"[\s,]", s.Name));
        Assert.False(filter.Matches("MasterFailover_BENCHMARK_Test.MasterFailover/0"), "benchmarks are not part of the comparison");
    }

    [Fact]
    public void Root_docker_filter_narrows_whole_fixtures_to_their_ROOT_DOCKER_tests()
    {
        var filter = GtestFilter.Parse(RegressionSuites.RootDockerFilter(RegressionSuites.All));

        Assert.True(filter.Matches("DockerContainerizerTest.ROOT_DOCKER_Launch"));
        Assert.True(filter.Matches("DockerTest.ROOT_DOCKER_CheckPortResource"));
        Assert.True(filter.Matches("HealthCheckTest.ROOT_DOCKER_DockerHealthyTask"));
        Assert.False(filter.Matches("DockerTest.ParsingVersion"));
        Assert.False(filter.Matches("SlaveTest.ExecutorReregistrationTimeoutFlag"));
        Assert.False(filter.Matches("NetworkPortsIsolatorTest.ROOT_NC_AllocatedPorts"));
        Assert.DoesNotContain(filter.Positive, p => !p.EndsWith(".ROOT_*DOCKER*", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_rows_run_leaves_out_the_tests_an_earlier_row_counts()
    {
        var rows = RegressionSuites.All.ToDictionary(s => s.Name);

        var slave = RegressionSuites.RunFilter(RegressionSuites.All, rows["SlaveTest"], rootDocker: false);
        var slaveRoot = RegressionSuites.RunFilter(RegressionSuites.All, rows["SlaveTest"], rootDocker: true);

        Assert.StartsWith("SlaveTest.*-MasterTest.*:", slave);
        Assert.False(GtestFilter.Parse(slave).Matches("SlaveTest.ExecutorReregistrationTimeoutFlag"));
        Assert.True(GtestFilter.Parse(slave).Matches("SlaveTest.ShutdownUnregisteredExecutor"));
        Assert.StartsWith("SlaveTest.ROOT_*DOCKER*-", slaveRoot);
        Assert.Equal("MasterTest.*", RegressionSuites.RunFilter(RegressionSuites.All, rows["MasterTest"], rootDocker: false));
        Assert.Equal("", RegressionSuites.RunFilter(RegressionSuites.All, rows["PersistentVolumeTest"], rootDocker: true));
    }

    [Theory]
    [InlineData("MasterTest.*", "MasterTest.A", true)]
    [InlineData("MasterTest.*", "MasterTestX.A", false)]
    [InlineData("*/PersistentVolumeTest.*/*", "DiskResource/PersistentVolumeTest.Create/1", true)]
    [InlineData("*/PersistentVolumeTest.*/*", "PersistentVolumeTest.Create", false)]
    [InlineData("Docker?est.*", "DockerTest.A", true)]
    [InlineData("DockerTest.*-DockerTest.ROOT_*", "DockerTest.ROOT_DOCKER_A", false)]
    [InlineData("DockerTest.*-DockerTest.ROOT_*", "DockerTest.Parse", true)]
    [InlineData("-*Slow*", "MasterTest.Fast", true)]
    [InlineData("A.B:C.*", "C.D", true)]
    public void Filters_match_as_googletest_does(string filter, string name, bool matches) =>
        Assert.Equal(matches, GtestFilter.Parse(filter).Matches(name));

    [Fact]
    public void An_unknown_suite_name_is_an_error_that_lists_the_known_ones()
    {
        Assert.Equal(["MasterTest", "DockerTest"], RegressionSuites.Select(["dockertest", "MasterTest"]).Select(s => s.Name));
        var e = Assert.Throws<TritonMesosException>(() => RegressionSuites.Select(["MasterTests"]));
        Assert.Contains("'MasterTests'", e.Message);
        Assert.Contains("'MasterTest'", e.Render());
    }

    [Fact]
    public void Progress_names_each_suite_row_once_and_each_failed_test()
    {
        var progress = new GtestConsole(RegressionSuites.All, "patched", () => TimeSpan.FromSeconds(75));
        string[] output =
        [
            "[==========] Running 4 tests from 2 test cases.", "[ RUN      ] MasterTest.A", "I1203 16:00:00.000 1 master.cpp:1] noise",
            "[       OK ] MasterTest.A (10 ms)", "[ RUN      ] MasterTest.B", "[  FAILED  ] MasterTest.B (20 ms)",
            "[ RUN      ] DiskResource/PersistentVolumeTest.Create/0", "[  FAILED  ] DiskResource/PersistentVolumeTest.Create/0, where GetParam() = 0 (5 ms)",
            "[  FAILED  ] 2 tests, listed below:", "[  FAILED  ] MasterTest.B",
        ];

        var lines = output.Select(progress.Feed).OfType<string>().ToList();

        Assert.Equal([
            "[00:01:15] patched: MasterTest (test 1)", "[00:01:15] patched: FAILED MasterTest.B",
            "[00:01:15] patched: PersistentVolumeTest (test 3)", "[00:01:15] patched: FAILED DiskResource/PersistentVolumeTest.Create/0",
        ], lines);
        Assert.Equal((3, 2), (progress.Started, progress.Failed));
    }

    [Fact]
    public void After_a_crash_the_console_gives_the_outcomes_with_the_running_test_failed_and_they_round_trip_as_a_report()
    {
        var console = new GtestConsole(RegressionSuites.All, "baseline", () => TimeSpan.Zero);
        foreach (var line in new[]
                 {
                     "[ RUN      ] MasterAllocatorTest/0.FrameworkExited", "[       OK ] MasterAllocatorTest/0.FrameworkExited (1500 ms)",
                     "[ RUN      ] MasterAllocatorTest/0.SlaveLost", "[  FAILED  ] MasterAllocatorTest/0.SlaveLost, where TypeParam = x (20 ms)",
                     "[ RUN      ] MasterAllocatorTest/0.SlaveAdded", "F1203 16:00:00.000 1 master.cpp:9] Check failed: x",
                 })
            console.Feed(line);

        var cases = console.Cases(134);
        var path = Path.Combine(_output, "MasterAllocatorTest.xml");
        MesosTestResult.WriteReport(path, cases);
        var read = MesosTestResult.ReadReport(path);

        Assert.Equal(["MasterAllocatorTest/0.FrameworkExited passed", "MasterAllocatorTest/0.SlaveLost failed", "MasterAllocatorTest/0.SlaveAdded failed"],
            read.Select(Describe));
        Assert.Equal(1.5, read[0].Seconds);
        Assert.Contains("exited with code 134 during this test", read[2].Failure);
        Assert.Equal(cases, read);
    }

    private static async Task<int> InvokeAsync(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in new ImageCommands().CreateCommands())
            root.Subcommands.Add(command);
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    [Fact]
    public async Task Command_compares_the_reports_in_its_output_writes_the_table_and_fails_on_a_regression()
    {
        WriteReport("patched", "MasterTest.xml", Gtest18Report(("MasterTest", "A", "pass"), ("MasterTest", "B", "fail")));
        WriteReport("patched", "DockerTest.xml", Gtest18Report(("DockerTest", "ROOT_DOCKER_X", "notrun")));
        WriteReport("patched", "DockerTest.root-docker.xml", Gtest18Report(("DockerTest", "ROOT_DOCKER_X", "pass")));
        WriteReport("baseline", "MasterTest.xml", Gtest18Report(("MasterTest", "A", "pass"), ("MasterTest", "B", "pass")));
        string[] args = ["mesos-regression", "--compare-only", "--root", RepositoryProfilesTests.RepositoryRoot(), "--output", _output];

        var e = await Assert.ThrowsAsync<TritonMesosException>(() => InvokeAsync(args));

        Assert.NotEqual(0, e.ExitCode);
        Assert.Contains("MasterTest.B", e.Message);
        var markdown = File.ReadAllText(Path.Combine(_output, MesosRegressionOptions.MarkdownName));
        Assert.Contains("| MasterTest (`MasterTest.*`) | 1 | 1 | 0 | 2 | 0 | 0 |", markdown);
        Assert.Contains("| DockerTest (`DockerTest.*:DockerImageTest.*`) | 1 | 0 | 0 | 0 | 0 | 1 |", markdown);

        WriteReport("patched", "MasterTest.xml", Gtest18Report(("MasterTest", "A", "pass"), ("MasterTest", "B", "pass")));
        Assert.Equal(0, await InvokeAsync([.. args, "--suite", "MasterTest"]));
        var rows = File.ReadAllLines(Path.Combine(_output, MesosRegressionOptions.MarkdownName)).Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["| Suite | Patched passed | Patched failed | Patched not run | Baseline passed | Baseline failed | Baseline not run |",
            "| MasterTest (`MasterTest.*`) | 2 | 0 | 0 | 2 | 0 | 0 |", "| **Total** | 2 | 0 | 0 | 2 | 0 | 0 |"], rows);
    }

    [Fact]
    public async Task Command_without_reports_or_trees_says_what_to_run()
    {
        string[] common = ["--root", RepositoryProfilesTests.RepositoryRoot(), "--output", _output];

        var noReports = await Assert.ThrowsAsync<TritonMesosException>(() => InvokeAsync(["mesos-regression", "--compare-only", .. common]));
        Assert.Equal(Path.Combine(_output, "patched"), noReports.File);

        var baseline = Path.Combine(_output, "no-baseline");
        var noTree = await Assert.ThrowsAsync<TritonMesosException>(() => InvokeAsync(
            ["mesos-regression", "--mesos-tree", Path.Combine(_output, "no-patched"), "--baseline-tree", baseline, .. common]));
        Assert.Contains("patched Mesos tree is missing", noTree.Message);
        Assert.Contains("--features build-compat", noTree.Render());

        var badSuite = await Assert.ThrowsAsync<TritonMesosException>(() => InvokeAsync(["mesos-regression", "--compare-only", "--suite", "Nope", .. common]));
        Assert.Contains("'Nope'", badSuite.Message);
    }
}
