namespace TritonMesos.Build;

/// <summary>A target, declared NUKE's way: <c>Target Compile => _ => _.DependsOn(Restore).Executes(() => …);</c></summary>
public delegate ITargetDefinition Target(ITargetDefinition _);

/// <summary>What happens to a skipped target's dependencies.</summary>
public enum DependencyBehavior
{
    /// <summary>Skip them too, unless another scheduled target needs them (the default).</summary>
    Skip,

    /// <summary>Run them anyway.</summary>
    Execute,
}

/// <summary>A target's state in the execution plan (NUKE's <c>ExecutionStatus</c>).</summary>
public enum ExecutionStatus
{
    None,
    Scheduled,
    NotRun,
    Skipped,
    Succeeded,
    Failed,
    Running,
    Aborted,
    Collective,
}
