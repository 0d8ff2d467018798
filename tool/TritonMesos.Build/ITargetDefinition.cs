using System.Runtime.CompilerServices;

namespace TritonMesos.Build;

/// <summary>The fluent builder a <see cref="Target"/> receives (the subset of NUKE's <c>ITargetDefinition</c> this project uses).</summary>
public interface ITargetDefinition
{
    /// <summary>One line shown under the target in <c>--help</c>.</summary>
    ITargetDefinition Description(string description);

    /// <summary>Hides the target from <c>--help</c>.</summary>
    ITargetDefinition Unlisted();

    /// <summary>Targets that must run before this one (execution dependencies).</summary>
    ITargetDefinition DependsOn(params Target[] targets);

    /// <summary>Targets that depend on this one.</summary>
    ITargetDefinition DependentFor(params Target[] targets);

    /// <summary>Run after these when both are scheduled (ordering only).</summary>
    ITargetDefinition After(params Target[] targets);

    /// <summary>Run before these when both are scheduled (ordering only).</summary>
    ITargetDefinition Before(params Target[] targets);

    /// <summary>Schedules these after this one.</summary>
    ITargetDefinition Triggers(params Target[] targets);

    /// <summary>Scheduled after any of these.</summary>
    ITargetDefinition TriggeredBy(params Target[] targets);

    /// <summary>Skips the target when false; evaluated for every planned target before any runs.</summary>
    ITargetDefinition OnlyWhenStatic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string text = "");

    /// <summary>Skips the target when false; evaluated right before it runs.</summary>
    ITargetDefinition OnlyWhenDynamic(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string text = "");

    /// <summary>What happens to dependencies when this target is skipped.</summary>
    ITargetDefinition WhenSkipped(DependencyBehavior behavior);

    /// <summary>Fails the build before any target runs when the value is null or empty.</summary>
    ITargetDefinition Requires(Func<object?> value, [CallerArgumentExpression(nameof(value))] string text = "");

    /// <summary>Fails the build before any target runs when the condition is false.</summary>
    ITargetDefinition Requires(Func<bool> condition, [CallerArgumentExpression(nameof(condition))] string text = "");

    /// <summary>The build goes on after this target fails (the build is still marked failed).</summary>
    ITargetDefinition ProceedAfterFailure();

    /// <summary>The target runs even after an earlier target failed or the build was cancelled.</summary>
    ITargetDefinition AssuredAfterFailure();

    /// <summary>The target's action.</summary>
    ITargetDefinition Executes(Action action);

    /// <summary>The target's asynchronous action (run to completion before the next target).</summary>
    ITargetDefinition Executes(Func<Task> action);
}
