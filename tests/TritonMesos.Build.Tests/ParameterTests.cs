namespace TritonMesos.Build.Tests;

[Collection(RunnerCollection.Name)]
public sealed class ParameterTests
{
    [Fact]
    public void Command_line_beats_environment_beats_parameters_file()
    {
        using var run = new BuildRun().WithNukeFile("parameters.json", """{ "UpstreamUrl": "from-file", "Jobs": 4, "Force": true }""");

        var fromFile = run.Run<ChainBuild>(["Restore"]).Build;
        Assert.Equal(("from-file", 4, true), (fromFile.UpstreamUrl, fromFile.Jobs, fromFile.Force));

        var fromEnvironment = run.Run<ChainBuild>(["Restore"], new() { ["NUKE_UPSTREAM_URL"] = "from-env" }).Build;
        Assert.Equal("from-env", fromEnvironment.UpstreamUrl);

        var fromCommandLine = run.Run<ChainBuild>(["Restore", "--upstream-url", "from-cli"], new() { ["NUKE_UPSTREAM_URL"] = "from-env" }).Build;
        Assert.Equal("from-cli", fromCommandLine.UpstreamUrl);
    }

    [Theory]
    [InlineData("UpstreamUrl")]
    [InlineData("UPSTREAM_URL")]
    [InlineData("NUKE_UPSTREAM_URL")]
    [InlineData("nuke_upstreamurl")]
    public void Environment_names_match_ignoring_case_and_punctuation_with_an_optional_NUKE_prefix(string variable)
    {
        using var run = new BuildRun();
        Assert.Equal("x", run.Run<ChainBuild>(["Restore"], new() { [variable] = "x" }).Build.UpstreamUrl);
    }

    [Fact]
    public void Two_matching_variables_bind_nothing_and_warn()
    {
        using var run = new BuildRun();
        var (_, output, build) = run.Run<ChainBuild>(["Restore"], new() { ["UPSTREAM_URL"] = "a", ["NUKE_UPSTREAM_URL"] = "b" });
        Assert.Null(build.UpstreamUrl);
        Assert.Contains("Could not resolve UpstreamUrl since multiple values are provided", output);
    }

    [Fact]
    public void A_bare_flag_is_true_on_the_command_line_and_an_empty_variable_is_false()
    {
        using var run = new BuildRun();
        Assert.True(run.Run<ChainBuild>(["Restore", "--force"]).Build.Force);
        Assert.False(run.Run<ChainBuild>(["Restore"], new() { ["NUKE_FORCE"] = "" }).Build.Force);
        Assert.True(run.Run<ChainBuild>(["Restore"], new() { ["NUKE_FORCE"] = "true" }).Build.Force);
    }

    [Fact]
    public void Arrays_take_spaces_or_the_separator_from_every_source()
    {
        using var run = new BuildRun().WithNukeFile("parameters.json", """{ "Features": ["x", "y"] }""");
        Assert.Equal(["a", "b"], run.Run<ChainBuild>(["Restore", "--features", "a", "b"]).Build.Features!);
        Assert.Equal(["a", "b"], run.Run<ChainBuild>(["Restore", "--features", "a,b"]).Build.Features!);
        Assert.Equal(["c", "d"], run.Run<ChainBuild>(["Restore"], new() { ["FEATURES"] = "c,d" }).Build.Features!);
        Assert.Equal(["x", "y"], run.Run<ChainBuild>(["Restore"]).Build.Features!);
    }

    [Fact]
    public void Later_profiles_win_over_earlier_ones_and_over_the_default_file()
    {
        using var run = new BuildRun()
            .WithNukeFile("parameters.json", """{ "UpstreamUrl": "default", "Jobs": 2 }""")
            .WithNukeFile("parameters.ci.json", """{ "UpstreamUrl": "ci" }""")
            .WithNukeFile("parameters.mirror.json", """{ "UpstreamUrl": "mirror" }""");
        var build = run.Run<ChainBuild>(["Restore", "--profile", "ci", "mirror"]).Build;
        Assert.Equal(("mirror", 2), (build.UpstreamUrl, build.Jobs));
        Assert.Equal("ci", run.Run<ChainBuild>(["Restore", "--profile", "mirror", "ci"]).Build.UpstreamUrl);
    }

    [Fact]
    public void A_missing_profile_file_fails_and_lists_the_profiles()
    {
        using var run = new BuildRun().WithNukeFile("parameters.ci.json", "{}");
        var (exitCode, output, _) = run.Run<ChainBuild>(["Restore", "--profile", "nope"]);
        Assert.Equal(-1, exitCode);
        Assert.Contains("parameters.nope.json' does not exist (profile 'nope'). Profiles found: ci", output);
    }

    [Fact]
    public void Malformed_parameters_json_names_the_file_and_line()
    {
        using var run = new BuildRun().WithNukeFile("parameters.json", "{\n  \"Jobs\": 2,\n  oops\n}");
        var (exitCode, output, _) = run.Run<ChainBuild>(["Restore"]);
        Assert.Equal(-1, exitCode);
        Assert.Matches(@"parameters\.json:3: malformed JSON", output);
    }
}
