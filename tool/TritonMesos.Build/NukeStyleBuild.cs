using System.Reflection;

namespace TritonMesos.Build;

/// <summary>
/// Base class of a build: declare <see cref="Target"/> properties and <see cref="ParameterAttribute"/> members, then
/// <c>return Execute&lt;MyBuild&gt;(args);</c>. The command line, help, plan, summary and exit codes follow NUKE.
/// </summary>
public abstract partial class NukeStyleBuild
{
    /// <summary>The directory with the <c>.nuke</c> marker (or <c>--root</c>).</summary>
    public string RootDirectory { get; private set; } = "";

    /// <summary><c>.nuke/temp</c> under the root: scratch files of the build (plan, build-attempt.log).</summary>
    public string TemporaryDirectory => Path.Combine(RootDirectory, ".nuke", "temp");

    /// <summary>Every declared target, in declaration order.</summary>
    public IReadOnlyList<ExecutableTarget> ExecutableTargets { get; private set; } = [];

    /// <summary>The targets of this run, in execution order.</summary>
    public IReadOnlyList<ExecutableTarget> ExecutionPlan { get; private set; } = [];

    /// <summary>False once a target failed or was aborted.</summary>
    public bool IsSucceeding => ExecutionPlan.All(t => t.Status is not (ExecutionStatus.Failed or ExecutionStatus.Aborted or ExecutionStatus.NotRun));

    /// <summary>The target currently running, if any.</summary>
    public ExecutableTarget? CurrentTarget { get; private set; }

    [Parameter("List of targets to be invoked", Name = "Target", Separator = "+")]
    private string[]? TargetNames { get; set; }

    [Parameter("List of targets to be skipped. Empty list skips all dependencies", Name = "Skip", Separator = "+")]
    private string[]? SkipNames { get; set; }

    /// <summary><c>--help</c>: print targets and parameters.</summary>
    [Parameter("Shows the help text for this build assembly")]
    public bool Help { get; private set; }

    /// <summary><c>--plan</c>: print the execution plan instead of running it.</summary>
    [Parameter("Shows the execution plan (text; also written to .nuke/temp/execution-plan.txt)")]
    public bool Plan { get; private set; }

    /// <summary><c>--no-logo</c>.</summary>
    [Parameter("Disables displaying the NUKE logo")]
    public bool NoLogo { get; private set; }

    /// <summary><c>--continue</c>: skip the targets that succeeded in the previous attempt of the same invocation.</summary>
    [Parameter("Indicates to continue a previously failed build attempt")]
    public bool Continue { get; private set; }

    [Parameter("Root directory during build execution", Name = "Root")]
    private string? RootParameter { get; set; }

    /// <summary><c>--verbosity</c>.</summary>
    [Parameter("Logging verbosity during build execution. Default is 'Normal'")]
    public Verbosity Verbosity { get; private set; } = Verbosity.Normal;

    /// <summary><c>--profile a b</c>: also load <c>.nuke/parameters.a.json</c> and <c>parameters.b.json</c> (later wins).</summary>
    [Parameter("Defines the profiles to load", Name = "Profile")]
    public string[] LoadedLocalProfiles { get; private set; } = [];

    /// <summary>Adds <c>key: value</c> pairs to the running target's line in the summary table.</summary>
    public void ReportSummary(Action<SummaryBuilder> configure)
    {
        var target = CurrentTarget ?? throw new InvalidOperationException("ReportSummary can only be called while a target runs");
        configure(new SummaryBuilder(target.SummaryInformation));
    }

    /// <summary>Runs the build with these arguments and returns the exit code (0, or 255 after a failure); no target shows the help.</summary>
    public static int Execute<T>(string[] args) where T : NukeStyleBuild, new() =>
        new T().Run(args, Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? ""), Environment.CurrentDirectory);
}

/// <summary>Collects the <c>// key: value</c> pairs of a target's summary line.</summary>
public sealed class SummaryBuilder
{
    private readonly List<KeyValuePair<string, string>> _pairs;

    internal SummaryBuilder(List<KeyValuePair<string, string>> pairs) => _pairs = pairs;

    /// <summary>Adds or replaces a pair.</summary>
    public SummaryBuilder AddPair(string key, object? value)
    {
        _pairs.RemoveAll(p => p.Key == key);
        _pairs.Add(new(key, value?.ToString() ?? ""));
        return this;
    }
}
