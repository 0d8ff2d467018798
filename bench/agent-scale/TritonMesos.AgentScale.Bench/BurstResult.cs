using TritonMesos.E2E.Tests.Fixture;

using System.Globalization;

namespace TritonMesos.AgentScale.Bench;

/// <summary>What one burst measured. Times are from the launch call; memory per task is (sample − idle agent) / executors.</summary>
public sealed record BurstResult(string Variant, int Tasks)
{
    /// <summary>Tasks that reached TASK_RUNNING.</summary>
    public int Running { get; init; }

    /// <summary>Tasks that ended before RUNNING (state: count), empty when none.</summary>
    public string Failed { get; init; } = "";

    /// <summary>Why the burst stopped early (memory guard, timeout), or empty.</summary>
    public string Stopped { get; init; } = "";

    public double FirstRunningSeconds { get; init; } = double.NaN;

    public double AllRunningSeconds { get; init; } = double.NaN;

    /// <summary>Median and 95th percentile of the per-task launch → RUNNING times.</summary>
    public double MedianRunningSeconds { get; init; } = double.NaN;

    public double P95RunningSeconds { get; init; } = double.NaN;

    /// <summary>RUNNING tasks / time to the last of them.</summary>
    public double TasksPerSecond => Running > 0 ? Running / AllRunningSeconds : double.NaN;

    /// <summary>The agent container before the launch and once every task ran.</summary>
    public ProcessSample? Idle { get; init; }

    public ProcessSample? Loaded { get; init; }

    /// <summary>MemAvailable before and after (MiB): host-wide, so other work on the machine moves it too.</summary>
    public long AvailableBeforeMiB { get; init; }

    public long AvailableAfterMiB { get; init; }

    /// <summary>What the master and the engine report once every task ran.</summary>
    public int MasterRunning { get; init; }

    public int EngineRunning { get; init; }

    /// <summary>From TEARDOWN until the engine holds none of the burst's containers, and until no executor is left.</summary>
    public double RemovedSeconds { get; init; } = double.NaN;

    public double ExecutorsGoneSeconds { get; init; } = double.NaN;

    /// <summary>Containers left on the engine when the removal wait gave up (0 when all were removed).</summary>
    public int Orphans { get; init; }

    public string LoadBefore { get; init; } = "";

    public string LoadAfter { get; init; } = "";

    /// <summary>Where the per-task start-up time went (text lines), empty when not analysed.</summary>
    public IReadOnlyList<string> Phases { get; init; } = [];

    /// <summary>What per-task figures divide by: the executors in the loaded sample (one per launched task; equal to RUNNING once all run).</summary>
    public int PerTaskDivisor => Loaded?.Count("mesos-docker-executor") is > 0 and var executors ? executors : Running;

    private double PerTask(Func<ProcessSample, double> of) =>
        Idle is null || Loaded is null || PerTaskDivisor == 0 ? double.NaN : (of(Loaded) - of(Idle)) / PerTaskDivisor;

    /// <summary>Agent-container processes added per task.</summary>
    public double ProcessesPerTask => PerTask(s => s.Processes);

    /// <summary>PSS added per task (MiB), all programs.</summary>
    public double PssPerTaskMiB => PerTask(s => s.PssKiB) / 1024;

    /// <summary>PSS and private memory per task (MiB) of one program.</summary>
    public (double Pss, double Private) ProgramPerTask(string program) =>
        (PerTask(s => s.Of(program).PssKiB) / 1024, PerTask(s => s.Of(program).PrivateKiB) / 1024);

    /// <summary>The programs reported by name.</summary>
    public static readonly IReadOnlyList<string> Programs = ["mesos-docker-executor", "docker", "mesos-agent"];

    /// <summary>The header of <see cref="Row"/>.</summary>
    public static string Header =>
        "| variant | N | RUNNING | first RUNNING | median / p95 | all RUNNING | tasks/s | processes per task | PSS per task | "
        + string.Join(" | ", Programs.Select(p => $"{p} PSS / private per task")) + " | master / engine running | all removed after teardown | stopped |\n"
        + "|" + string.Concat(Enumerable.Repeat("---|", 12 + Programs.Count));

    /// <summary>One markdown table row.</summary>
    public string Row() =>
        $"| {Variant} | {Tasks} | {Running}{(Failed.Length > 0 ? " (" + Failed + ")" : "")} | {S(FirstRunningSeconds)} | {S(MedianRunningSeconds)} / {S(P95RunningSeconds)} | {S(AllRunningSeconds)} | "
        + $"{F(TasksPerSecond, "0.00")} | {F(ProcessesPerTask, "0.00")} | {F(PssPerTaskMiB, "0.0")} MB | "
        + string.Join(" | ", Programs.Select(p => ProgramPerTask(p) is var (pss, priv) ? $"{F(pss, "0.0")} / {F(priv, "0.0")} MB" : ""))
        + $" | {MasterRunning} / {EngineRunning} | {S(RemovedSeconds)}{(Orphans > 0 ? $" ({Orphans} left)" : "")} | {(Stopped.Length > 0 ? Stopped : "no")} |";

    private static string S(double seconds) => double.IsNaN(seconds) ? "–" : seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    private static string F(double value, string format) => double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);
}
