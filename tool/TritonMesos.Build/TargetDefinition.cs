namespace TritonMesos.Build;

/// <summary>Collects what a <see cref="Target"/> declares.</summary>
internal sealed class TargetDefinition : ITargetDefinition
{
    public string? DescriptionText { get; private set; }
    public bool IsUnlisted { get; private set; }
    public List<Target> DependsOnTargets { get; } = [];
    public List<Target> DependentForTargets { get; } = [];
    public List<Target> AfterTargets { get; } = [];
    public List<Target> BeforeTargets { get; } = [];
    public List<Target> TriggersTargets { get; } = [];
    public List<Target> TriggeredByTargets { get; } = [];
    public List<(string Text, Func<bool> Condition)> StaticConditions { get; } = [];
    public List<(string Text, Func<bool> Condition)> DynamicConditions { get; } = [];
    public List<(string Text, Func<bool> Satisfied, bool IsValue)> Requirements { get; } = [];
    public DependencyBehavior DependencyBehavior { get; private set; } = DependencyBehavior.Skip;
    public bool IsProceedAfterFailure { get; private set; }
    public bool IsAssuredAfterFailure { get; private set; }
    public List<Func<Task>> Actions { get; } = [];

    public ITargetDefinition Description(string description) { DescriptionText = description; return this; }
    public ITargetDefinition Unlisted() { IsUnlisted = true; return this; }
    public ITargetDefinition DependsOn(params Target[] targets) { DependsOnTargets.AddRange(targets); return this; }
    public ITargetDefinition DependentFor(params Target[] targets) { DependentForTargets.AddRange(targets); return this; }
    public ITargetDefinition After(params Target[] targets) { AfterTargets.AddRange(targets); return this; }
    public ITargetDefinition Before(params Target[] targets) { BeforeTargets.AddRange(targets); return this; }
    public ITargetDefinition Triggers(params Target[] targets) { TriggersTargets.AddRange(targets); return this; }
    public ITargetDefinition TriggeredBy(params Target[] targets) { TriggeredByTargets.AddRange(targets); return this; }
    public ITargetDefinition OnlyWhenStatic(Func<bool> condition, string text = "") { StaticConditions.Add((text, condition)); return this; }
    public ITargetDefinition OnlyWhenDynamic(Func<bool> condition, string text = "") { DynamicConditions.Add((text, condition)); return this; }
    public ITargetDefinition WhenSkipped(DependencyBehavior behavior) { DependencyBehavior = behavior; return this; }
    public ITargetDefinition ProceedAfterFailure() { IsProceedAfterFailure = true; return this; }
    public ITargetDefinition AssuredAfterFailure() { IsAssuredAfterFailure = true; return this; }

    public ITargetDefinition Requires(Func<object?> value, string text = "")
    {
        Requirements.Add((text, () => value() switch
        {
            null => false,
            string s => s.Length > 0,
            System.Collections.ICollection c => c.Count > 0,
            _ => true,
        }, true));
        return this;
    }

    public ITargetDefinition Requires(Func<bool> condition, string text = "")
    {
        Requirements.Add((text, condition, false));
        return this;
    }

    public ITargetDefinition Executes(Action action)
    {
        Actions.Add(() => { action(); return Task.CompletedTask; });
        return this;
    }

    public ITargetDefinition Executes(Func<Task> action)
    {
        Actions.Add(action);
        return this;
    }
}
