#pragma warning disable CS0649 // parameters are set by the runner through reflection

namespace TritonMesos.Build.Tests;

/// <summary>A build shaped like the project's: a chain Restore → Compile → Test, a side target, and parameters.</summary>
internal sealed class ChainBuild : NukeStyleBuild
{
    public readonly List<string> Ran = [];

    [Parameter("An upstream URL")]
    public readonly string? UpstreamUrl;

    [Parameter("A switch")]
    public readonly bool Force;

    [Parameter("Features", Separator = ",")]
    public readonly string[]? Features;

    [Parameter("A number")]
    public readonly int Jobs = 1;

    public static bool FailCompile;

    Target Restore => _ => _.Executes(() => Ran.Add("Restore"));

    Target Compile => _ => _
        .Description("Builds things")
        .DependsOn(Restore)
        .Executes(() =>
        {
            Ran.Add("Compile");
            ReportSummary(_ => _.AddPair("Projects", 3));
            if (FailCompile)
                throw new BuildException("compiler said no\nsecond line");
        });

    Target Test => _ => _.DependsOn(Compile).Executes(() => Ran.Add("Test"));

    Target Pack => _ => _.DependsOn(Compile).After(Test).Executes(() => Ran.Add("Pack"));

    Target Cleanup => _ => _.After(Compile, Test, Pack).Executes(() => Ran.Add("Cleanup"));

    Target All => _ => _.DependsOn(Test, Pack);
}

/// <summary>Two targets that depend on each other.</summary>
internal sealed class CyclicBuild : NukeStyleBuild
{
    Target A => _ => _.DependsOn(B).Executes(() => { });
    Target B => _ => _.DependsOn(A).Executes(() => { });
}
