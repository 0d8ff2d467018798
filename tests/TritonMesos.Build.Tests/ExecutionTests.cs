using System.Text.RegularExpressions;

namespace TritonMesos.Build.Tests;

[Collection(RunnerCollection.Name)]
public sealed class ExecutionTests
{
    public ExecutionTests() => ChainBuild.FailCompile = false;

    [Fact]
    public void Dependencies_run_first_in_declaration_order()
    {
        using var run = new BuildRun();
        var (exitCode, _, build) = run.Run<ChainBuild>(["Pack", "Test"]);
        Assert.Equal(0, exitCode);
        Assert.Equal(["Restore", "Compile", "Test", "Pack"], build.Ran);
    }

    [Theory]
    [InlineData("--target", "Test+Pack")]
    [InlineData("--target", "test pack")]
    [InlineData("--target", "All")]
    public void Targets_can_be_named_with_target_plus_or_spaces_case_insensitively(string option, string value)
    {
        using var run = new BuildRun();
        var (exitCode, _, build) = run.Run<ChainBuild>([option, .. value.Split(' ')]);
        Assert.Equal(0, exitCode);
        Assert.Equal(["Restore", "Compile", "Test", "Pack"], build.Ran);
    }

    [Fact]
    public void Bare_skip_skips_everything_not_invoked()
    {
        using var run = new BuildRun();
        var (exitCode, output, build) = run.Run<ChainBuild>(["Test", "--skip"]);
        Assert.Equal(0, exitCode);
        Assert.Equal(["Test"], build.Ran);
        Assert.Matches(@"(?m)^Restore\s+Skipped\s*$", output);
    }

    [Fact]
    public void Skip_with_names_skips_those_and_their_otherwise_unneeded_dependencies()
    {
        using var run = new BuildRun();
        var skipped = run.Run<ChainBuild>(["Test", "--skip", "Compile"]);
        Assert.Equal(["Test"], skipped.Build.Ran);
        Assert.Matches(@"(?m)^Restore\s+Skipped\s*$", skipped.Output);
        // Pack still needs Compile, so skipping Test (not invoked) keeps Compile and Restore.
        Assert.Equal(["Restore", "Compile", "Pack"], run.Run<ChainBuild>(["All", "--skip", "test"]).Build.Ran);
        // An invoked target is never skipped by --skip, but its dependencies are (NUKE's rule).
        Assert.Equal(["Test"], run.Run<ChainBuild>(["Test", "--skip", "Test"]).Build.Ran);
    }

    [Fact]
    public void No_target_prints_help_and_exits_zero()
    {
        using var run = new BuildRun();
        var (exitCode, output, build) = run.Run<ChainBuild>([]);
        Assert.Equal(0, exitCode);
        Assert.Empty(build.Ran);
        Assert.Contains("Targets (with their direct dependencies):", output);
        Assert.Contains("  Compile              -> Restore" + Environment.NewLine + "    Builds things", output);
        Assert.Contains("  All                  -> Test, Pack", output);
        var parameters = output[output.IndexOf("Parameters:", StringComparison.Ordinal)..];
        Assert.Contains(Environment.NewLine + "  --" + "upstream-url".PadRight(16) + "   An upstream URL." + Environment.NewLine, parameters);
        // Custom parameters first, then a blank line, then the runner's own, each block sorted by name.
        Assert.True(parameters.IndexOf("--upstream-url", StringComparison.Ordinal) < parameters.IndexOf("--continue", StringComparison.Ordinal));
        Assert.Contains(Environment.NewLine + "  --" + "skip".PadRight(16) + "   List of targets to be skipped. Empty list skips all dependencies." + Environment.NewLine, parameters);
    }

    [Fact]
    public void Unknown_target_fails_with_nukes_message_and_the_sorted_list()
    {
        using var run = new BuildRun();
        var (exitCode, output, build) = run.Run<ChainBuild>(["Deploy"]);
        Assert.Equal(-1, exitCode);
        Assert.Empty(build.Ran);
        Assert.Contains("Target with name 'Deploy' does not exist. Available targets are:" + Environment.NewLine +
                        "  - All" + Environment.NewLine + "  - Cleanup" + Environment.NewLine + "  - Compile", output);
    }

    [Fact]
    public void Plan_prints_the_order_and_the_parameters_set_without_running()
    {
        using var run = new BuildRun();
        var (exitCode, output, build) = run.Run<ChainBuild>(["Pack", "--plan", "--upstream-url", "u"], new() { ["NUKE_JOBS"] = "3" });
        Assert.Equal(0, exitCode);
        Assert.Empty(build.Ran);
        Assert.Matches(@"1\. Restore\s*\r?\n\s+2\. Compile\s+-> Restore\s*\r?\n\s+3\. Pack\s+-> Compile\s+\[invoked\]", output);
        Assert.Matches(@"--upstream-url\s+u\s+\(command line\)", output);
        Assert.Matches(@"--jobs\s+3\s+\(environment NUKE_JOBS\)", output);
        Assert.True(File.Exists(Path.Combine(run.Root, ".nuke", "temp", "execution-plan.txt")));
    }

    [Fact]
    public void Target_header_and_summary_table_follow_nukes_layout()
    {
        using var run = new BuildRun();
        var (exitCode, output, _) = run.Run<ChainBuild>(["Compile"]);
        Assert.Equal(0, exitCode);
        Assert.Contains(string.Join(Environment.NewLine, "", "╬════════════", "║ Compile", "╬═══", ""), output);
        var width = Math.Max("Compile".Length + 4, 19) + 10 + 10;
        var lines = output.Split(Environment.NewLine);
        var top = Array.FindIndex(lines, l => l == new string('═', width));
        Assert.True(top >= 0, output);
        Assert.Equal("Target".PadRight(19) + "Status".PadRight(10) + "Duration".PadLeft(10), lines[top + 1]);
        Assert.Equal(new string('─', width), lines[top + 2]);
        Assert.Equal("Restore".PadRight(19) + "Succeeded".PadRight(10) + "< 1sec".PadLeft(10), lines[top + 3]);
        Assert.Equal("Compile".PadRight(19) + "Succeeded".PadRight(10) + "< 1sec".PadLeft(10) + "   // Projects: 3", lines[top + 4]);
        Assert.Equal(new string('─', width), lines[top + 5]);
        Assert.Equal("Total".PadRight(29) + "< 1sec".PadLeft(10), lines[top + 6]);
        Assert.Equal(new string('═', width), lines[top + 7]);
        Assert.Matches(@"^Build succeeded on .+\. ＼（＾ᴗ＾）／$", lines.Last(l => l.Length > 0));
    }

    [Fact]
    public void A_failing_target_stops_the_build_with_exit_code_255()
    {
        ChainBuild.FailCompile = true;
        using var run = new BuildRun();
        var (exitCode, output, build) = run.Run<ChainBuild>(["Test", "Cleanup"]);
        Assert.Equal(-1, exitCode); // the process exit code is 255 on Unix
        Assert.Equal(["Restore", "Compile"], build.Ran);
        Assert.Contains("Target Compile has thrown an exception" + Environment.NewLine + "compiler said no", output);
        Assert.Contains("║ Errors & Warnings", output);
        Assert.Matches(@"(?m)^Compile\s+Failed\s+< 1sec   // Projects: 3$", output);
        Assert.Matches(@"(?m)^Test\s+NotRun\s*$", output);
        Assert.Matches(@"(?m)^Cleanup\s+NotRun\s*$", output);
        Assert.Matches(@"(?m)^Build failed on .+\. \(╯°□°）╯︵ ┻━┻$", output);
    }

    [Fact]
    public void Without_own_summary_a_failure_shows_the_exception_type_and_first_line()
    {
        using var run = new BuildRun();
        var (_, output, _) = run.Run<ThrowingBuild>(["Boom"]);
        Assert.Matches(@"(?m)^Boom\s+Failed\s+< 1sec   // InvalidOperationException: first line$", output);
    }

    [Fact]
    public void Continue_skips_the_targets_that_succeeded_in_the_failed_attempt()
    {
        using var run = new BuildRun();
        ChainBuild.FailCompile = true;
        Assert.Equal(-1, run.Run<ChainBuild>(["Test"]).ExitCode);
        ChainBuild.FailCompile = false;
        var (exitCode, output, build) = run.Run<ChainBuild>(["Test", "--continue"]);
        Assert.Equal(0, exitCode);
        Assert.Equal(["Compile", "Test"], build.Ran);
        Assert.Matches(@"(?m)^Restore\s+Skipped", output);

        // A different invocation starts over.
        var again = run.Run<ChainBuild>(["Pack", "--continue"]);
        Assert.Contains("Build invocation changed. Restarting ...", again.Output);
        Assert.Equal(["Restore", "Compile", "Pack"], again.Build.Ran);
    }

    [Fact]
    public void A_user_facing_failure_is_shown_as_the_exception_renders_itself_without_a_stack_trace()
    {
        using var run = new BuildRun();
        var (exitCode, output, _) = run.Run<ThrowingBuild>(["Refuse"]);
        Assert.Equal(-1, exitCode);
        Assert.Contains("Target Refuse has thrown an exception" + Environment.NewLine + "patches/series:3: no such patch" + Environment.NewLine +
                        "  next: restore the file", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public void Circular_dependencies_are_reported()
    {
        using var run = new BuildRun();
        var (exitCode, output, _) = run.Run<CyclicBuild>(["A"]);
        Assert.Equal(-1, exitCode);
        Assert.Matches(new Regex(@"Circular dependencies between targets:\r?\n - (A, B|B, A)"), output);
    }

    [Fact]
    public void Without_a_nuke_directory_the_root_is_not_found_unless_root_is_given()
    {
        var directory = Directory.CreateTempSubdirectory("triton-mesos-noroot-");
        try
        {
            Assert.Null(NukeStyleBuild.TryGetRootDirectoryFrom(directory.FullName));
            Directory.CreateDirectory(Path.Combine(directory.FullName, ".nuke"));
            var nested = Directory.CreateDirectory(Path.Combine(directory.FullName, "a", "b"));
            Assert.Equal(directory.FullName, NukeStyleBuild.TryGetRootDirectoryFrom(nested.FullName));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private sealed class ThrowingBuild : NukeStyleBuild
    {
        Target Boom => _ => _.Executes(() => throw new InvalidOperationException("first line\nsecond line"));

        Target Refuse => _ => _.Executes(() => throw new TritonMesosException("no such patch", "patches/series", 3, "restore the file"));
    }
}
