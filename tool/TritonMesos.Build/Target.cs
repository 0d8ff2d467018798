namespace TritonMesos.Build;

/// <summary>A target, declared NUKE's way: <c>Target Compile => _ => _.DependsOn(Restore).Executes(() => …);</c></summary>
public delegate ITargetDefinition Target(ITargetDefinition _);

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
