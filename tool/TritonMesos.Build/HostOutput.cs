using System.Globalization;
using System.Text;

namespace TritonMesos.Build;

/// <summary>The runner's fixed output blocks, laid out exactly as NUKE's <c>Host</c> and help/plan handlers lay them out.</summary>
public static class HostOutput
{
    /// <summary>The header printed before a target runs.</summary>
    public static string Block(string text) =>
        string.Join(Environment.NewLine,
            "",
            "╬" + new string('═', text.Length + 5),
            string.Join(Environment.NewLine, text.Split(Environment.NewLine).Select(l => "║ " + l)),
            "╬" + new string('═', Math.Max(text.Length - 4, 2)),
            "");

    /// <summary>"Targets (with their direct dependencies):" and one line per listed target.</summary>
    public static string TargetsText(IReadOnlyList<ExecutableTarget> targets)
    {
        var builder = new StringBuilder();
        var pad = Math.Max(targets.Max(t => t.Name.Length), 20);
        builder.AppendLine("Targets (with their direct dependencies):");
        builder.AppendLine();
        foreach (var target in targets)
        {
            var dependencies = target.ExecutionDependencies.Count > 0
                ? " -> " + string.Join(", ", target.ExecutionDependencies.Select(d => d.Name))
                : "";
            builder.AppendLine($"  {target.Name.PadRight(pad)}{dependencies}");
            if (!string.IsNullOrWhiteSpace(target.Description))
                builder.AppendLine($"    {target.Description}");
        }
        return builder.ToString();
    }

    /// <summary>"Parameters:": the build's own parameters, a blank line, then the runner's built-in ones.</summary>
    public static string ParametersText(IReadOnlyList<ParameterMember> parameters, int consoleWidth = int.MaxValue)
    {
        var listed = parameters.Where(p => p.Attribute.List).ToList();
        var pad = Math.Max(listed.Select(p => p.DashedName.Length).DefaultIfEmpty(0).Max(), 16);
        var builder = new StringBuilder();

        List<string> SplitLines(string text)
        {
            var lines = new List<string> { "" };
            foreach (var word in text.Split(' '))
            {
                var nextLength = pad + 6 + lines[^1].Length + word.Length;
                if (nextLength >= consoleWidth || nextLength > 90)
                    lines.Add("");
                lines[^1] = $"{lines[^1]} {word}";
            }
            return lines;
        }

        void Print(ParameterMember parameter)
        {
            var description = parameter.Attribute.Description is { } d ? d.TrimEnd('.') + "." : "<no description>";
            var lines = SplitLines(description);
            builder.AppendLine($"  --{parameter.DashedName.PadRight(pad)}  {lines[0]}");
            foreach (var line in lines.Skip(1))
                builder.AppendLine(new string(' ', pad + 6) + line);
        }

        builder.AppendLine("Parameters:");
        var custom = listed.Where(p => !p.IsBuiltIn).ToList();
        if (custom.Count > 0)
            builder.AppendLine();
        custom.ForEach(Print);
        builder.AppendLine();
        listed.Where(p => p.IsBuiltIn).ToList().ForEach(Print);
        return builder.ToString();
    }

    /// <summary>The text form of <c>--plan</c>: the targets in order with their dependencies and skip state, then the parameters that are set.</summary>
    public static string PlanText(IReadOnlyList<ExecutableTarget> plan, IReadOnlyList<(string Name, string Value, string Source)> parameters)
    {
        var builder = new StringBuilder();
        builder.AppendLine($"Execution plan ({plan.Count} target{(plan.Count == 1 ? "" : "s")}, in order):");
        builder.AppendLine();
        var pad = Math.Max(plan.Select(t => t.Name.Length).DefaultIfEmpty(0).Max(), 20);
        var number = 0;
        foreach (var target in plan)
        {
            var dependencies = target.ExecutionDependencies.Count > 0
                ? " -> " + string.Join(", ", target.ExecutionDependencies.Select(d => d.Name))
                : "";
            var state = target.Status == ExecutionStatus.Skipped ? $"   [skipped: {target.SkipReason}]"
                : target.Invoked ? "   [invoked]" : "";
            builder.AppendLine($"  {++number,2}. {target.Name.PadRight(pad)}{dependencies}{state}".TrimEnd());
        }
        builder.AppendLine();
        if (parameters.Count == 0)
        {
            builder.AppendLine("Parameters: none set.");
            return builder.ToString();
        }
        builder.AppendLine("Parameters:");
        builder.AppendLine();
        var namePad = Math.Max(parameters.Max(p => p.Name.Length), 16);
        var valuePad = Math.Min(Math.Max(parameters.Max(p => p.Value.Length), 10), 50);
        foreach (var (name, value, source) in parameters)
            builder.AppendLine($"  --{name.PadRight(namePad)}  {value.PadRight(valuePad)}  ({source})");
        return builder.ToString();
    }

    /// <summary>The closing table: target, status, duration and <c>// key: value</c> information.</summary>
    public static IReadOnlyList<(ExecutionStatus? Status, string Line)> TargetOutcome(IReadOnlyList<ExecutableTarget> plan)
    {
        var first = Math.Max(plan.Select(t => t.Name.Length).DefaultIfEmpty(0).Max() + 4, 19);
        const int second = 10, third = 10;
        var all = first + second + third;
        var total = plan.Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Duration);

        string Line(string target, string status, string duration, string? information = null) =>
            target.PadRight(first) + status.PadRight(second) + duration.PadLeft(third) +
            (information is not null ? $"   // {information}" : "");

        var lines = new List<(ExecutionStatus?, string)>
        {
            (null, ""),
            (null, new string('═', all)),
            (null, Line("Target", "Status", "Duration")),
            (null, new string('─', all)),
        };
        foreach (var target in plan.Where(t => t.Status != ExecutionStatus.Collective))
        {
            var duration = target.Status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Aborted
                ? FormatDuration(target.Duration)
                : "";
            var information = target.SummaryInformation.Count > 0
                ? string.Join(", ", target.SummaryInformation.Select(p => $"{p.Key}: {p.Value}"))
                : null;
            lines.Add((target.Status, Line(target.Name, target.Status.ToString(), duration, information)));
        }
        lines.Add((null, new string('─', all)));
        lines.Add((null, Line("Total", "", FormatDuration(total))));
        lines.Add((null, new string('═', all)));
        return lines;
    }

    /// <summary><c>m:ss</c>, with 0:00 shown as <c>&lt; 1sec</c>.</summary>
    public static string FormatDuration(TimeSpan duration) =>
        $"{(int)duration.TotalMinutes}:{duration:ss}".Replace("0:00", "< 1sec");

    /// <summary>The last line of every build.</summary>
    public static string BuildOutcome(bool succeeded, DateTime now) =>
        succeeded
            ? $"Build succeeded on {now.ToString(CultureInfo.CurrentCulture)}. ＼（＾ᴗ＾）／"
            : $"Build failed on {now.ToString(CultureInfo.CurrentCulture)}. (╯°□°）╯︵ ┻━┻";
}
