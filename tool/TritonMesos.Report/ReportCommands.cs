using System.CommandLine;

namespace TritonMesos.Report;

/// <summary>The <c>triton-mesos</c> command of the Report area: report.</summary>
public sealed class ReportCommands : ICommandProvider
{
    private readonly Option<string?> _root = new("--root") { Description = "Repository root (default: the nearest directory up from here with upstream.lock)" };
    private readonly Option<string?> _upstreamUrl = new("--upstream-url") { Description = "Path of a local Apache Mesos clone with tags (default: the pipeline cache, .work/cache/upstream.git or $XDG_CACHE_HOME/triton-mesos/upstream.git)" };

    /// <summary>The report command.</summary>
    public IEnumerable<Command> CreateCommands() => [CreateReport()];

    private string Root(ParseResult parse) => RepositoryLayout.FromOption(parse.GetValue(_root)).Root;

    private Command CreateReport()
    {
        var refs = new Option<string?>("--refs") { Description = "Comma-separated upstream refs (default: every release tag from 1.0.0 on, plus master)" };
        var output = new Option<string?>("--output") { Description = "Output directory (default: artifacts/report)" };
        var noCache = new Option<bool>("--no-cache") { Description = "Recompute everything: neither read nor write the history look-ups (patch-id) and patch outcomes cached in .work/cache/report" };
        var updateDocs = new Option<bool>("--update-docs") { Description = "Also rewrite the generated part of docs/upstreaming.md from report.md (the hand-written part below its end marker is kept)" };
        var command = new Command("report", "Upstreaming report: every patch on every upstream ref (applies, conflicts, already upstream), features, ready-to-send patches");
        foreach (var option in new Option[] { _root, _upstreamUrl, refs, output, noCache, updateDocs })
            command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var options = new ReportOptions()
                .WithRootDirectory(Root(parse))
                .WithUpstreamPath(parse.GetValue(_upstreamUrl))
                .WithRefs(parse.GetValue(refs)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .WithOutputDirectory(parse.GetValue(output) is { } o ? Path.GetFullPath(o) : null)
                .WithUseCache(!parse.GetValue(noCache));
            await ReportAsync(options, parse.GetValue(updateDocs), ct);
            return 0;
        });
        return command;
    }

    /// <summary>Writes the report (progress to stderr), prints one line per patch, and with <paramref name="updateDocs"/> refreshes docs/upstreaming.md.</summary>
    public static async Task<ReportResult> ReportAsync(ReportOptions options, bool updateDocs, CancellationToken ct = default)
    {
        var result = await UpstreamReport.GenerateAsync(options.WithProgress(options.Progress ?? new ConsoleProgress()), ct);
        Console.WriteLine();
        foreach (var line in result.SummaryLines)
            Console.WriteLine(line);
        Console.WriteLine($"report: wrote {Path.Combine(result.OutputDirectory, ReportFiles.Html)}, {ReportFiles.Markdown}, {ReportFiles.Json} and {ReportFiles.SubmitDirectory}/ ({result.SummaryLines.Count} patches)");
        if (updateDocs)
        {
            var doc = UpstreamingDoc.DefaultPath(options.RootDirectory);
            var changed = UpstreamingDoc.Update(doc, MarkdownReport.Render(result.Data));
            Console.WriteLine(changed ? $"report: updated {doc}" : $"report: {doc} is up to date");
        }
        return result;
    }

    private sealed class ConsoleProgress : IProgress<string>
    {
        public void Report(string value) => Console.Error.WriteLine(value);
    }
}
