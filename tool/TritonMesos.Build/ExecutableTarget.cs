using System.Diagnostics;

namespace TritonMesos.Build;

/// <summary>A declared target with its resolved dependencies and its state during a run.</summary>
public sealed class ExecutableTarget
{
    internal ExecutableTarget(string name, Target factory, TargetDefinition definition)
    {
        Name = name;
        Factory = factory;
        Definition = definition;
    }

    /// <summary>The target's name (the property name).</summary>
    public string Name { get; }

    internal Target Factory { get; }
    internal TargetDefinition Definition { get; }

    /// <summary>The description shown in help, if any.</summary>
    public string? Description => Definition.DescriptionText;

    /// <summary>Targets that must run before this one.</summary>
    public List<ExecutableTarget> ExecutionDependencies { get; } = [];

    /// <summary>Targets this one must run after when both are scheduled.</summary>
    public List<ExecutableTarget> OrderDependencies { get; } = [];

    /// <summary>Every edge the planner orders by.</summary>
    public IEnumerable<ExecutableTarget> AllDependencies => ExecutionDependencies.Concat(OrderDependencies);

    /// <summary>True when named on the command line.</summary>
    public bool Invoked { get; internal set; }

    /// <summary>The state in the current run.</summary>
    public ExecutionStatus Status { get; internal set; }

    /// <summary>Why the target was skipped ("via parameter", "because of X", or "succeeded in the previous attempt").</summary>
    public string? SkipReason { get; internal set; }

    /// <summary>How long its actions ran.</summary>
    public TimeSpan Duration => Stopwatch.Elapsed;

    internal Stopwatch Stopwatch { get; } = new();

    /// <summary>The <c>// key: value</c> pairs shown in the summary table.</summary>
    public List<KeyValuePair<string, string>> SummaryInformation { get; } = [];

    public override string ToString() => Name;
}
