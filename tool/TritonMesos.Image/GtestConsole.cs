using System.Globalization;
using System.Text.RegularExpressions;

namespace TritonMesos.Image;

/// <summary>
/// Reads the test binary's console output: progress lines (one when the run enters a new suite row, with the elapsed time
/// and how many tests started, and one per failed test) and each test's outcome, which stands in for the XML report when
/// the binary crashed before writing it (the test running at that moment counts as failed).
/// </summary>
public sealed partial class GtestConsole(IReadOnlyList<RegressionSuite> suites, string build, Func<TimeSpan> elapsed)
{
    private readonly List<MesosTestCase> _cases = new();
    private string? _row;
    private string? _running;

    /// <summary>Tests started so far.</summary>
    public int Started { get; private set; }

    /// <summary>Tests reported failed so far.</summary>
    public int Failed { get; private set; }

    /// <summary>Feeds one output line; returns the progress line it means, or null.</summary>
    public string? Feed(string line)
    {
        if (RunLine().Match(line) is { Success: true } run)
        {
            Started++;
            _running = run.Groups["name"].Value;
            var row = RegressionSuites.RowOf(suites, _running)?.Name ?? _running.Split('.')[0];
            if (row == _row)
                return null;
            _row = row;
            return $"[{elapsed():hh\\:mm\\:ss}] {build}: {row} (test {Started})";
        }
        if (EndLine().Match(line) is { Success: true } end)
        {
            var name = end.Groups["name"].Value;
            var failed = end.Groups["status"].Value == "  FAILED  ";
            _cases.Add(Case(name, double.Parse(end.Groups["ms"].Value, CultureInfo.InvariantCulture) / 1000,
                failed ? "failed (from the console output; the binary wrote no XML report)" : null));
            _running = null;
            if (!failed)
                return null;
            Failed++;
            return $"[{elapsed():hh\\:mm\\:ss}] {build}: FAILED {name}";
        }
        return null;
    }

    /// <summary>The outcomes the console showed; a test still running when the binary exited with <paramref name="exitCode"/> failed.</summary>
    public IReadOnlyList<MesosTestCase> Cases(int exitCode) => _running is null ? _cases
        : [.. _cases, Case(_running, 0, $"the test binary exited with code {exitCode} during this test (crash or abort; see the log)")];

    private static MesosTestCase Case(string fullName, double seconds, string? failure)
    {
        // googletest's classname is everything before the first dot ("DiskResource/PersistentVolumeTest", "MasterAllocatorTest/0").
        var dot = fullName.IndexOf('.', StringComparison.Ordinal);
        return new MesosTestCase(dot < 0 ? "" : fullName[..dot], dot < 0 ? fullName : fullName[(dot + 1)..], "completed", seconds, failure);
    }

    [GeneratedRegex(@"^\[ RUN      \] (?<name>\S+)$")]
    private static partial Regex RunLine();

    // The per-test line carries its duration; googletest's summary at the end repeats the names without one.
    [GeneratedRegex(@"^\[(?<status>       OK |  FAILED  )\] (?<name>\S+)(, where .*)? \((?<ms>\d+) ms\)$")]
    private static partial Regex EndLine();
}
