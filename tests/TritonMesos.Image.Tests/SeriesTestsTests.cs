using Xunit;

namespace TritonMesos.Image.Tests;

public sealed class SeriesTestsTests : IDisposable
{
    private readonly string _patches = Directory.CreateTempSubdirectory("triton-mesos-patches-").FullName;

    public void Dispose() => Directory.Delete(_patches, recursive: true);

    // The hunk header counts the body's lines, as git does: the one patch parser (PatchFile.ParseSections) holds hunks to their counts.
    private void Write(string name, string body) => File.WriteAllText(Path.Combine(_patches, name), $"""
        From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001
        Subject: [PATCH] {name}

        ---
        diff --git a/src/tests/x_tests.cpp b/src/tests/x_tests.cpp
        --- a/src/tests/x_tests.cpp
        +++ b/src/tests/x_tests.cpp
        @@ -1,{body.Split('\n').Count(l => l[0] != '+')} +1,{body.Split('\n').Count(l => l[0] != '-')} @@
        {body}
        """);

    [Fact]
    public void Filter_lists_added_tests_in_series_order_once_each_with_gtest_name_forms()
    {
        Write("0001-a.patch", """
             TEST_F(MasterTest, Existing)
            +TEST_F(MasterTest, Added)
            -TEST_F(MasterTest, Removed)
            +TEST_P(DockerTest, Parameterized)
            """);
        Write("0002-b.patch", """
            +TYPED_TEST(CgroupsTest, Typed)
            +TEST(Plain, Case)
            +TEST_F(MasterTest, Added)
            + // TEST_F(Commented, Out)
            +TEST_F_TEMP_DISABLED_ON_WINDOWS(DockerSocketTest, OneLine)
            +TEST_F_TEMP_DISABLED_ON_WINDOWS(
            +    DockerContainerizerTest, ROOT_DOCKER_TwoLines)
            """);
        File.WriteAllText(Path.Combine(_patches, PatchSeries.FileName), "0002-b.patch\n0001-a.patch\n");

        var tests = SeriesTests.FromPatches(_patches);

        Assert.Equal("CgroupsTest/*.Typed:Plain.Case:MasterTest.Added:DockerSocketTest.OneLine:DockerContainerizerTest.ROOT_DOCKER_TwoLines:" +
                     "*/DockerTest.Parameterized/*", tests.Filter);
        var added = Assert.Single(tests.Tests, t => t.Name == "Added");
        Assert.Equal(("0002-b.patch", 11), (added.Patch, added.Line));
        Assert.Equal(["x_tests"], tests.TestFiles);
        Assert.Equal("DockerContainerizerTest.ROOT_DOCKER_TwoLines", tests.RootDockerFilter);
    }

    [Fact]
    public void The_repository_series_adds_a_test_for_every_runtime_flag_feature()
    {
        var patches = new RepositoryLayout(RepositoryProfilesTests.RepositoryRoot()).Patches;
        var tests = SeriesTests.FromPatches(patches);

        // Each patch that adds a runtime flag carries Mesos-style tests of it.
        var withFlags = PatchSeries.Load(patches).LoadPatches().Where(p => p.RuntimeFlags.Count > 0).ToList();
        Assert.NotEmpty(withFlags);
        foreach (var patch in withFlags)
            Assert.Contains(tests.Tests, t => t.Patch == Path.GetFileName(patch.Path));
        Assert.Contains(tests.Tests, t => t.GtestPattern == "MasterTest.NonExclusivePortsMasterFailover");
        Assert.Contains(tests.Tests, t => t.GtestPattern == "DockerSocketTest.CreateWithPath");
        Assert.Contains(tests.Tests, t => t.GtestPattern == "DockerContainerizerTest.ROOT_DOCKER_RemoveContainerAfterFailedLaunch");
        Assert.Equal(["docker_containerizer_tests", "docker_tests", "health_check_tests", "master_tests", "slave_tests"], tests.TestFiles.Order());
    }
}
