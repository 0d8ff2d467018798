namespace TritonMesos.Build.Tests;

public sealed class ArgumentParserTests
{
    [Fact]
    public void Positional_arguments_are_the_tokens_before_the_first_named_one()
    {
        var parser = new ArgumentParser(["Compile", "Test", "--skip", "Restore"]);
        Assert.Equal(["Compile", "Test"], parser.PositionalArguments);
        Assert.Equal(["Compile", "Test"], (string[])parser.GetAllPositionalArguments(typeof(string[]), '+')!);
    }

    [Theory]
    [InlineData("--no-logo")]
    [InlineData("--nologo")]
    [InlineData("--NoLogo")]
    [InlineData("-no-logo")]
    public void Names_match_without_dashes_and_case(string spelling)
    {
        var parser = new ArgumentParser([spelling]);
        Assert.True(parser.HasArgument("NoLogo"));
        Assert.Equal(true, parser.GetNamedArgument("NoLogo", typeof(bool)));
    }

    [Fact]
    public void The_last_occurrence_wins()
    {
        var parser = new ArgumentParser(["--upstream-url", "a", "--upstream-url", "b"]);
        Assert.Equal("b", parser.GetNamedArgument("UpstreamUrl", typeof(string)));
    }

    [Fact]
    public void Values_run_to_the_next_named_argument_and_the_separator_splits_one_token()
    {
        Assert.Equal(["A", "B"], (string[])new ArgumentParser(["--target", "A", "B", "--skip"]).GetNamedArgument("Target", typeof(string[]), '+')!);
        Assert.Equal(["A", "B"], (string[])new ArgumentParser(["--target", "A+B"]).GetNamedArgument("Target", typeof(string[]), '+')!);
    }

    [Fact]
    public void Mixing_separator_and_spaces_fails_as_in_nuke()
    {
        var e = Assert.Throws<BuildException>(() => new ArgumentParser(["--target", "A+B", "C"]).GetNamedArgument("Target", typeof(string[]), '+'));
        Assert.Contains("cannot be split with separator '+'", e.Message);
    }

    [Fact]
    public void A_bad_value_names_the_argument_and_lists_every_argument()
    {
        var e = Assert.Throws<BuildException>(() => new ArgumentParser(["Build", "--jobs", "many"]).GetNamedArgument("Jobs", typeof(int)));
        Assert.Contains("Resolving argument 'Jobs' failed.", e.Message);
        Assert.Contains("Value 'many' could not be converted to 'int'", e.Message);
        Assert.Contains("[2] = many", e.Message);
    }

    [Theory]
    [InlineData("UpstreamUrl", "upstream-url")]
    [InlineData("NoLogo", "no-logo")]
    [InlineData("Target", "target")]
    [InlineData("HTMLReport", "html-report")]
    [InlineData("UpdateContinue", "update-continue")]
    public void Member_names_become_kebab_case(string member, string dashed) => Assert.Equal(dashed, Naming.ToDashed(member));
}
