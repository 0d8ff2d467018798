namespace TritonMesos.Build;

/// <summary>Orders the invoked targets and their dependencies the way NUKE's <c>ExecutionPlanner</c> does.</summary>
public static class ExecutionPlanner
{
    /// <summary>The targets to run, in order; with no invoked names the plan is empty (the build then shows its help).</summary>
    public static IReadOnlyList<ExecutableTarget> GetExecutionPlan(IReadOnlyList<ExecutableTarget> targets, IReadOnlyList<string>? invokedNames)
    {
        var invoked = invokedNames?.Select(n => GetExecutableTarget(n, targets)).ToList();
        invoked?.ForEach(t => t.Invoked = true);
        CheckCycles(targets);
        var plan = GetExecutionPlanInternal(targets, invoked);
        plan.ForEach(t => t.Status = ExecutionStatus.Scheduled);
        return plan;
    }

    /// <summary>Finds a target by name: dashes removed, case ignored; unknown names fail with NUKE's message and the list.</summary>
    public static ExecutableTarget GetExecutableTarget(string name, IReadOnlyList<ExecutableTarget> targets)
    {
        var normalized = name.Replace("-", "");
        var target = targets.SingleOrDefault(t => string.Equals(t.Name, normalized, StringComparison.OrdinalIgnoreCase));
        if (target is null)
            throw new BuildException(string.Join(Environment.NewLine,
                new[] { $"Target with name '{normalized}' does not exist. Available targets are:" }
                    .Concat(targets.Select(t => $"  - {t.Name}").Order(StringComparer.Ordinal))));
        return target;
    }

    private static List<ExecutableTarget> GetExecutionPlanInternal(IReadOnlyList<ExecutableTarget> targets, List<ExecutableTarget>? invoked)
    {
        var graph = targets.ToList();
        var scheduled = new List<ExecutableTarget>();
        while (graph.Count > 0)
        {
            // Take the first target that no remaining target depends on; schedule it when it is wanted.
            var independent = graph.First(t => !graph.Any(other => other.AllDependencies.Contains(t)));
            graph.Remove(independent);
            var wanted = (invoked is not null && invoked.Contains(independent)) ||
                         scheduled.SelectMany(s => s.ExecutionDependencies).Contains(independent);
            if (wanted)
                scheduled.Add(independent);
        }
        scheduled.Reverse();
        return scheduled;
    }

    private static void CheckCycles(IReadOnlyList<ExecutableTarget> targets)
    {
        var cycles = StronglyConnectedComponents(targets).Where(c => c.Count > 1).ToList();
        if (cycles.Count > 0)
            throw new BuildException(string.Join(Environment.NewLine,
                new[] { "Circular dependencies between targets:" }
                    .Concat(cycles.Select(c => " - " + string.Join(", ", c.Select(t => t.Name))))));
    }

    // Tarjan's algorithm over AllDependencies.
    private static List<List<ExecutableTarget>> StronglyConnectedComponents(IReadOnlyList<ExecutableTarget> targets)
    {
        var index = 0;
        var indices = new Dictionary<ExecutableTarget, int>();
        var lowLinks = new Dictionary<ExecutableTarget, int>();
        var stack = new Stack<ExecutableTarget>();
        var components = new List<List<ExecutableTarget>>();

        void Visit(ExecutableTarget v)
        {
            indices[v] = lowLinks[v] = index++;
            stack.Push(v);
            foreach (var w in v.AllDependencies.Where(targets.Contains))
            {
                if (!indices.ContainsKey(w))
                {
                    Visit(w);
                    lowLinks[v] = Math.Min(lowLinks[v], lowLinks[w]);
                }
                else if (stack.Contains(w))
                    lowLinks[v] = Math.Min(lowLinks[v], indices[w]);
            }
            if (lowLinks[v] != indices[v])
                return;
            var component = new List<ExecutableTarget>();
            ExecutableTarget popped;
            do
            {
                popped = stack.Pop();
                component.Add(popped);
            } while (popped != v);
            component.Reverse();
            components.Add(component);
        }

        foreach (var target in targets)
            if (!indices.ContainsKey(target))
                Visit(target);
        return components;
    }
}
