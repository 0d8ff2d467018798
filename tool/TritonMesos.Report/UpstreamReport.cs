using TritonMesos.Report.Cache;

namespace TritonMesos.Report;

/// <summary>The upstreaming report: every patch of the series on every chosen upstream ref, feature claims and ready-to-send patches.</summary>
public static class UpstreamReport
{
    /// <summary>Computes the report and writes report.html, report.md, report.json and submit/ to the output directory.</summary>
    /// <remarks>With the cache on, a run whose inputs (tool, patches/, lock, refs and their commits) equal the last run's copies that run's outputs.</remarks>
    public static async Task<ReportResult> GenerateAsync(ReportOptions options, CancellationToken cancellationToken = default)
    {
        var output = options.Output;
        var results = options.Cache is { } cacheDirectory ? new ResultCache(cacheDirectory) : null;
        var run = await ReportRun.RunAsync(options, results is null ? null : (results, output), cancellationToken);
        if (run.Copied is var (copied, summary))
            return new ReportResult(new(() => ReportWriters.ReadJson(Path.Combine(output, ReportFiles.Json))), output, copied, summary);
        var files = ReportWriters.WriteAll(run.Data!, run.Submissions, output);
        var lines = SummaryLines(run.Data!);
        results?.Keep(run.Key!, output, files, lines);
        return new ReportResult(new(run.Data!), output, files, lines);
    }

    /// <summary>Computes the report data without writing anything but the caches (history look-ups and outcomes).</summary>
    public static async Task<UpstreamReportData> ComputeAsync(ReportOptions options, CancellationToken cancellationToken = default) =>
        (await ReportRun.RunAsync(options, null, cancellationToken)).Data!;

    /// <summary>One line per patch: its status over consecutive runs of refs.</summary>
    private static IReadOnlyList<string> SummaryLines(UpstreamReportData data) =>
        data.Patches.Select(p => $"{p.File}: {ApplyStatusText.Runs(p.Cells.Select(c => (c.Ref, c.Cumulative.Status)).ToList())}").ToList();
}
