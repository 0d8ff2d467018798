namespace TritonMesos.Build;

/// <summary>The fluent builder a <see cref="Target"/> receives (the subset of NUKE's <c>ITargetDefinition</c> the build uses).</summary>
public interface ITargetDefinition
{
    /// <summary>One line shown under the target in <c>--help</c>.</summary>
    ITargetDefinition Description(string description);

    /// <summary>Targets that must run before this one (execution dependencies).</summary>
    ITargetDefinition DependsOn(params Target[] targets);

    /// <summary>Run after these when both are scheduled (ordering only).</summary>
    ITargetDefinition After(params Target[] targets);

    /// <summary>The target's action.</summary>
    ITargetDefinition Executes(Action action);

    /// <summary>The target's asynchronous action (run to completion before the next target).</summary>
    ITargetDefinition Executes(Func<Task> action);
}
