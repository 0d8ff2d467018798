namespace TritonMesos.Build.Tests;

[Collection(RunnerCollection.Name)]
public sealed class TestTasksTests
{
    private const string SampleProject = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
            <IsPackable>false</IsPackable>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.0.1" />
            <PackageReference Include="xunit" Version="2.9.3" />
            <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
            <PackageReference Include="Xunit.SkippableFact" Version="1.5.85" />
          </ItemGroup>
        </Project>
        """;

    private const string SampleTests = """
        using Xunit;

        public class Sample
        {
            [Fact] public void Passes() => Assert.Equal(2, 1 + 1);
            [Fact] public void Fails() => Assert.Equal(3, 1 + 1);
            [SkippableFact] public void SkipsAtRunTime() => Skip.If(true, "engine not reachable here");
            [Fact(Skip = "declared skip")] public void SkipsStatically() { }
        }
        """;

    [Fact]
    public async Task Runs_real_test_projects_and_ends_with_the_totals_line()
    {
        var root = Directory.CreateTempSubdirectory("triton-mesos-testtasks-").FullName;
        var output = new StringWriter();
        var previous = (Log.Out, Log.UseColors);
        try
        {
            // An isolated repository root: its own Directory.Build.props so the project's settings do not leak in.
            File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(root, "Directory.Packages.props"), "<Project />");
            var project = Directory.CreateDirectory(Path.Combine(root, "tests", "Sample.Tests")).FullName;
            File.WriteAllText(Path.Combine(project, "Sample.Tests.csproj"), SampleProject);
            File.WriteAllText(Path.Combine(project, "SampleTests.cs"), SampleTests);
            Directory.CreateDirectory(Path.Combine(root, "tests", "Helpers"));
            File.WriteAllText(Path.Combine(root, "tests", "Helpers", "Helpers.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />");

            Log.Out = output;
            Log.UseColors = false;
            var projects = TestTasks.FindTestProjects(root);
            Assert.Equal([Path.Combine("tests", "Sample.Tests", "Sample.Tests.csproj")], projects);

            var results = new RepositoryLayout(root).Artifact("test-results");
            var summary = await TestTasks.RunAsync(root, projects, results);

            Assert.Equal(new TestTotals(1, 1, 2), summary.Totals);
            Assert.False(summary.Succeeded);
            Assert.Equal("1 passed, 1 failed, 2 skipped", Assert.Throws<BuildException>(summary.EnsureSucceeded).Message);
            var text = output.ToString();
            Assert.Contains("Sample.SkipsAtRunTime: engine not reachable here", text);
            Assert.Contains("Sample.SkipsStatically: declared skip", text);
            Assert.Contains("Sample.Fails: Assert.Equal() Failure", text);
            Assert.Equal("1 passed, 1 failed, 2 skipped", text.TrimEnd().Split('\n')[^1].TrimEnd('\r'));
            Assert.Equal("1 passed, 1 failed, 2 skipped\n", File.ReadAllText(Path.Combine(results, "summary.txt")));
            Assert.True(File.Exists(Path.Combine(results, "Sample.Tests.trx")));
        }
        finally
        {
            (Log.Out, Log.UseColors) = previous;
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_run_in_which_no_test_ran_fails()
    {
        var onlySkipped = new TestRunSummary([new TestResult("p", "t", TestOutcome.Skipped, "why")], []);
        Assert.False(onlySkipped.Succeeded);
        Assert.Equal("0 passed, 0 failed, 1 skipped", onlySkipped.Totals.ToString());
        Assert.False(new TestRunSummary([], []).Succeeded);
        Assert.False(new TestRunSummary([new TestResult("p", "t", TestOutcome.Passed, null)], ["p: exited with code 134"]).Succeeded);
        Assert.True(new TestRunSummary([new TestResult("p", "t", TestOutcome.Passed, null)], []).Succeeded);
    }
}
