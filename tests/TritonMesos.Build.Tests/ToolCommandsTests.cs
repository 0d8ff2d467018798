namespace TritonMesos.Build.Tests;

public sealed class ToolCommandsTests
{
    [Fact]
    public void An_unset_value_takes_its_option_along()
    {
        Assert.Equal(["report", "--root", "/r"], ToolCommands.DropUnset(["report", "--root", "/r", "--refs", null, "--output", null]));
    }

    [Fact]
    public void A_switch_that_is_on_stays_even_when_the_next_switch_is_off()
    {
        // The bug this guards against: `cond ? "--continue" : null` followed by an off switch dropped "--continue".
        var args = ToolCommands.DropUnset(["update", ToolCommands.Switch(true, "--continue"), ToolCommands.Switch(false, "--abort"),
            "--output", null, ToolCommands.Switch(true, "--update-docs"), ToolCommands.Switch(false, "--no-cache")]);

        Assert.Equal(["update", "--continue", "--update-docs"], args);
    }

    [Fact]
    public void A_switch_that_is_off_leaves_its_neighbours_alone()
    {
        Assert.Equal(["build-image", "--tag", "t"], ToolCommands.DropUnset(["build-image", "--tag", "t", ToolCommands.Switch(false, "--no-cache")]));
    }
}
