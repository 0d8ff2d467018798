using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.E2E.Tests.Fixture;

/// <summary>One observed scenario run: what ran, with the feature on or off, how it ended and how long it took.</summary>
public sealed record ScenarioResult(string Scenario, string Feature, string Result, TimeSpan Duration, string Image, DateTime StartedAt, string Detail);

/// <summary>Collects <see cref="ScenarioResult"/>s into summary.tsv and summary.md next to the run's logs (for docs/e2e.md).</summary>
public sealed class ScenarioLog(string path)
{
    private readonly object _gate = new();
    private readonly List<ScenarioResult> _results = [];

    /// <summary>The results so far.</summary>
    public IReadOnlyList<ScenarioResult> Results
    {
        get
        {
            lock (_gate)
                return [.. _results];
        }
    }

    /// <summary>Runs a scenario body, records pass, fail or skip with its duration, and rethrows what the body threw.</summary>
    public Task RunAsync(string scenario, string feature, string image, ITestOutputHelper output, Func<Task> body) =>
        RunAsync(scenario, feature, image, output, async () =>
        {
            await body();
            return "";
        });

    /// <summary>Runs a scenario body whose result is a detail for the summary (e.g. measured times), records it, and rethrows what the body threw.</summary>
    public async Task RunAsync(string scenario, string feature, string image, ITestOutputHelper output, Func<Task<string>> body)
    {
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        output.WriteLine($"[{started:HH:mm:ss}] scenario {scenario}, feature {feature}, image {image}");
        try
        {
            var detail = await body();
            Record(new ScenarioResult(scenario, feature, "passed", clock.Elapsed, image, started, detail));
            output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] passed in {clock.Elapsed.TotalSeconds:0} s");
        }
        catch (SkipException e)
        {
            Record(new ScenarioResult(scenario, feature, "skipped", clock.Elapsed, image, started, e.Message));
            output.WriteLine("skipped: " + e.Message);
            throw;
        }
        catch (Exception e)
        {
            Record(new ScenarioResult(scenario, feature, "failed", clock.Elapsed, image, started, e.GetType().Name + ": " + e.Message));
            output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] failed after {clock.Elapsed.TotalSeconds:0} s: {e}");
            throw;
        }
    }

    private void Record(ScenarioResult result)
    {
        lock (_gate)
        {
            _results.Add(result);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path))
                File.WriteAllText(path, "scenario\tfeature\tresult\tseconds\timage\tstarted_utc\tdetail\n");
            File.AppendAllText(path, string.Join('\t', result.Scenario, result.Feature, result.Result,
                result.Duration.TotalSeconds.ToString("0"), result.Image, result.StartedAt.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                Flatten(result.Detail)) + "\n");
            File.WriteAllText(Path.ChangeExtension(path, ".md"), Markdown());
        }
    }

    /// <summary>The results as a markdown table.</summary>
    public string Markdown()
    {
        var lines = new List<string>
        {
            "| scenario | feature | result | duration | started (UTC) | detail |",
            "|---|---|---|---|---|---|",
        };
        lines.AddRange(_results.Select(r =>
            $"| {r.Scenario} | {r.Feature} | {r.Result} | {r.Duration.TotalSeconds:0} s | {r.StartedAt:yyyy-MM-dd HH:mm} | {Flatten(r.Detail).Replace("|", "\\|")} |"));
        return string.Join('\n', lines) + "\n";
    }

    private static string Flatten(string s)
    {
        var one = s.ReplaceLineEndings(" ").Replace('\t', ' ');
        return one.Length <= 300 ? one : one[..300] + "…";
    }
}
