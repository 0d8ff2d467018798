using System.Globalization;
using System.Text.RegularExpressions;
using TritonMesos.E2E.Tests.Mesos;

namespace TritonMesos.AgentScale.Bench;

/// <summary>
/// Where a task's time from the launch call to TASK_RUNNING goes: the glog time stamps of the agent's and the docker
/// executor's own log lines for that task (markers in the order Mesos 1.11.0 passes them), as seconds after the launch,
/// summarised over all tasks of the burst (median, 95th percentile, max).
/// </summary>
public static partial class Timeline
{
    /// <summary>A step of a task's start-up, recognised by a log line.</summary>
    private sealed record Marker(string Name, string Source, Regex Line);

    /// <summary>Agent log markers (src/slave/slave.cpp, src/slave/containerizer/docker.cpp); the task id is matched separately.</summary>
    private static readonly Marker[] AgentMarkers =
    [
        new("agent: task assigned", "agent", new Regex("Got assigned task")),
        new("agent: containerizer launch", "agent", new Regex("Starting container '")),
        new("agent: executor forked", "agent", new Regex("Checkpointing pid \\d+ to")),
        new("agent: executor registered", "agent", new Regex("Got registration for executor")),
        new("agent: TASK_RUNNING update", "agent", new Regex("(Handling|Received) status update TASK_RUNNING")),
    ];

    /// <summary>Executor (sandbox stderr) markers (src/docker/executor.cpp).</summary>
    private static readonly Marker[] ExecutorMarkers =
    [
        new("executor: first log line", "executor", new Regex("^[IWE]\\d{4} ")),
        new("executor: registered", "executor", new Regex("Registered docker executor")),
        new("executor: starting task (docker run)", "executor", new Regex("Starting task")),
    ];

    private const string EngineCreated = "engine: container created";

    private const string EngineStarted = "engine: container started";

    [GeneratedRegex(@"^[IWEF](?<md>\d{4}) (?<time>\d{2}:\d{2}:\d{2}\.\d{6})")]
    private static partial Regex Glog();

    /// <summary>Summary lines for the burst's tasks (empty when the agent log is missing).</summary>
    /// <param name="engineTimes">Per task, the engine's Created and State.StartedAt of its container (docker inspect).</param>
    public static IReadOnlyList<string> Analyse(string agentLog, string agentWorkDir, IReadOnlyList<TaskUpdate> updates, DateTime launchedAt,
        IReadOnlyDictionary<string, (DateTime Created, DateTime Started)> engineTimes)
    {
        if (!File.Exists(agentLog))
            return [];
        var running = updates.Where(u => u.State == "TASK_RUNNING").GroupBy(u => u.TaskId).ToDictionary(g => g.Key, g => g.Min(u => u.At));
        if (running.Count == 0)
            return [];
        var taskIds = new Regex(string.Join("|", running.Keys.Select(k => k[..k.LastIndexOf('-')]).Distinct().Select(p => Regex.Escape(p) + @"-\d{4}")));
        var seen = new Dictionary<string, Dictionary<string, double>>();

        void Note(string task, string marker, double seconds)
        {
            var markers = seen.TryGetValue(task, out var m) ? m : seen[task] = new Dictionary<string, double>();
            markers.TryAdd(marker, seconds);
        }

        foreach (var line in File.ReadLines(agentLog))
        {
            if (Stamp(line, launchedAt) is not { } at)
                continue;
            var match = taskIds.Match(line);
            if (!match.Success)
                continue;
            foreach (var marker in AgentMarkers)
                if (marker.Line.IsMatch(line))
                    Note(match.Value, marker.Name, at);
        }
        var inspectTimeouts = 0;
        foreach (var task in seen.Keys.Union(running.Keys).ToList())
            foreach (var stderr in ExecutorLogs(agentWorkDir, task))
                foreach (var line in File.ReadLines(stderr))
                    if (Stamp(line, launchedAt) is { } at)
                    {
                        foreach (var marker in ExecutorMarkers)
                            if (marker.Line.IsMatch(line))
                                Note(task, marker.Name, at);
                        if (line.Contains("Docker inspect timed out", StringComparison.Ordinal))
                            inspectTimeouts++;
                    }
        foreach (var (task, at) in running)
            Note(task, "scheduler: TASK_RUNNING received", (at - launchedAt).TotalSeconds);
        foreach (var (task, (created, started)) in engineTimes)
        {
            Note(task, EngineCreated, (created - launchedAt).TotalSeconds);
            Note(task, EngineStarted, (started - launchedAt).TotalSeconds);
        }

        var order = AgentMarkers.Take(3).Concat(ExecutorMarkers).Select(m => m.Name).Append(AgentMarkers[3].Name).Append(EngineCreated).Append(EngineStarted)
            .Append(AgentMarkers[4].Name).Append("scheduler: TASK_RUNNING received");
        var lines = new List<string> { "start-up of a task, seconds after the launch call (median / p95 / max over tasks):" };
        foreach (var name in order)
        {
            var values = seen.Values.Where(m => m.ContainsKey(name)).Select(m => m[name]).Order().ToList();
            if (values.Count > 0)
                lines.Add($"{name,-40} {Q(values, 0.5),7:0.0} / {Q(values, 0.95),7:0.0} / {values[^1],7:0.0}   ({values.Count} tasks)");
        }
        lines.Add($"executors' `docker inspect` attempts discarded after {InspectTimeout} (\"Docker inspect timed out\"): {inspectTimeouts}");
        return lines;
    }

    /// <summary>DOCKER_INSPECT_TIMEOUT of src/docker/executor.cpp.</summary>
    private const string InspectTimeout = "5 s";

    private static IEnumerable<string> ExecutorLogs(string workDir, string task)
    {
        var slaves = Path.Combine(workDir, "slaves");
        if (!Directory.Exists(slaves))
            yield break;
        foreach (var agent in Directory.EnumerateDirectories(slaves))
        {
            var frameworks = Path.Combine(agent, "frameworks");
            if (!Directory.Exists(frameworks))
                continue;
            foreach (var framework in Directory.EnumerateDirectories(frameworks))
            {
                var runs = Path.Combine(framework, "executors", task, "runs");
                if (!Directory.Exists(runs))
                    continue;
                foreach (var run in Directory.EnumerateDirectories(runs).Where(r => Path.GetFileName(r) != "latest"))
                    if (File.Exists(Path.Combine(run, "stderr")))
                        yield return Path.Combine(run, "stderr");
            }
        }
    }

    /// <summary>Seconds after <paramref name="launchedAt"/> of a glog line (glog omits the year; UTC assumed, as in the image).</summary>
    private static double? Stamp(string line, DateTime launchedAt)
    {
        var m = Glog().Match(line);
        if (!m.Success)
            return null;
        var text = $"{launchedAt.Year}{m.Groups["md"].Value} {m.Groups["time"].Value}";
        return DateTime.TryParseExact(text, "yyyyMMdd HH:mm:ss.ffffff", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? (at - launchedAt).TotalSeconds
            : null;
    }

    private static double Q(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(q * sorted.Count) - 1))];
}
