using System.CommandLine;
using TritonMesos.Report.Update;

namespace TritonMesos.Report;

/// <summary>The <c>triton-mesos</c> commands of the Report area: report and update.</summary>
public sealed class ReportCommands : ICommandProvider
{
    private readonly Option<string?> _root = new("--root") { Description = "Repository root (default: the nearest directory up from here with upstream.lock)" };
    private readonly Option<string?> _upstreamUrl = new("--upstream-url") { Description = "Path of a local Apache Mesos clone with tags (default: the pipeline cache, .work/cache/upstream.git or $XDG_CACHE_HOME/triton-mesos/upstream.git)" };

    /// <summary>The report and update commands.</summary>
    public IEnumerable<Command> CreateCommands() => [CreateReport(), CreateUpdate()];

    /// <summary>The nearest directory from <paramref name="start"/> upwards that holds upstream.lock (else <paramref name="start"/>).</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, UpstreamLock.FileName)))
                return dir.FullName;
        return start;
    }

    private string Root(ParseResult parse) => Path.GetFullPath(parse.GetValue(_root) ?? FindRepositoryRoot(Directory.GetCurrentDirectory()));

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
            var root = Root(parse);
            var options = new ReportOptions()
                .WithRootDirectory(root)
                .WithUpstreamPath(parse.GetValue(_upstreamUrl))
                .WithRefs(parse.GetValue(refs)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .WithOutputDirectory(parse.GetValue(output) is { } o ? Path.GetFullPath(o) : null)
                .WithUseCache(!parse.GetValue(noCache))
                .WithProgress(new ConsoleProgress());
            var result = await UpstreamReport.GenerateAsync(options, ct);
            Console.WriteLine();
            foreach (var line in result.SummaryLines)
                Console.WriteLine(line);
            Console.WriteLine($"report: wrote {Path.Combine(result.OutputDirectory, ReportFiles.Html)}, {ReportFiles.Markdown}, {ReportFiles.Json} and {ReportFiles.SubmitDirectory}/ ({result.SummaryLines.Count} patches)");
            if (parse.GetValue(updateDocs))
            {
                var doc = UpstreamingDoc.DefaultPath(root);
                var changed = UpstreamingDoc.Update(doc, MarkdownReport.Render(result.Data));
                Console.WriteLine(changed ? $"report: updated {doc}" : $"report: {doc} is up to date");
            }
            return 0;
        });
        return command;
    }

    private Command CreateUpdate()
    {
        var newRef = new Option<string?>("--ref") { Description = "The upstream ref to move the series to (tag, branch or commit)" };
        var cont = new Option<bool>("--continue") { Description = "Resume after resolving a conflict in the scratch worktree (git add the files first)" };
        var abort = new Option<bool>("--abort") { Description = "Give up the update: remove the scratch worktree; patches/ and upstream.lock stay as they were" };
        var dropMerged = new Option<bool>("--drop-merged") { Description = "Drop patches found already upstream (otherwise the update stops and names them)" };
        var scratch = new Option<string?>("--scratch") { Description = "Scratch worktree (default: .work/update)" };
        var command = new Command("update", "Rebase the series onto a newer upstream ref (3-way); refresh patches/ and upstream.lock only if every patch applies");
        foreach (var option in new Option[] { _root, _upstreamUrl, newRef, cont, abort, dropMerged, scratch })
            command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var mode = parse.GetValue(abort) ? UpdateMode.Abort : parse.GetValue(cont) ? UpdateMode.Continue : UpdateMode.Start;
            if (parse.GetValue(abort) && parse.GetValue(cont))
                throw ReportErrors.ContinueAndAbort();
            var options = new UpdateOptions()
                .WithRootDirectory(Root(parse))
                .WithUpstreamPath(parse.GetValue(_upstreamUrl))
                .WithRef(parse.GetValue(newRef))
                .WithMode(mode)
                .WithDropMerged(parse.GetValue(dropMerged))
                .WithScratchDirectory(parse.GetValue(scratch) is { } s ? Path.GetFullPath(s) : null)
                .WithOutput(Console.Out);
            var result = await SeriesUpdater.UpdateAsync(options, ct);
            return result.ExitCode;
        });
        return command;
    }

    private sealed class ConsoleProgress : IProgress<string>
    {
        public void Report(string value) => Console.Error.WriteLine(value);
    }
}
