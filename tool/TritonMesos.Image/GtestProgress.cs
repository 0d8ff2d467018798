using System.Text.RegularExpressions;

namespace TritonMesos.Image;

/// <summary>
/// Turns the test binary's console output into progress lines: one when the run enters a new suite row (with the elapsed
/// time and how many tests ran so far) and one per failed test; everything else is left to the log file.
/// </summary>
public sealed partial class GtestProgress(IReadOnlyList<RegressionSuite> suites, string build, Func<TimeSpan> elapsed)
{
    private string? _row;

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
            var row = RegressionSuites.RowOf(suites, run.Groups["name"].Value)?.Name ?? run.Groups["name"].Value.Split('.')[0];
            if (row == _row)
                return null;
            _row = row;
            return $"[{elapsed():hh\\:mm\\:ss}] {build}: {row} (test {Started})";
        }
        if (FailedLine().Match(line) is { Success: true } failed)
        {
            Failed++;
            return $"[{elapsed():hh\\:mm\\:ss}] {build}: FAILED {failed.Groups["name"].Value}";
        }
        return null;
    }

    [GeneratedRegex(@"^\[ RUN      \] (?<name>\S+)$")]
    private static partial Regex RunLine();

    // The per-test line carries its duration; googletest's summary at the end repeats the names without one.
    [GeneratedRegex(@"^\[  FAILED  \] (?<name>\S+)(, where .*)? \(\d+ ms\)$")]
    private static partial Regex FailedLine();
}
