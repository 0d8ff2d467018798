using System.CommandLine;

namespace TritonMesos.Pipeline;

/// <summary>The <c>triton-mesos</c> commands of the Pipeline area: apply, export, verify, status.</summary>
public sealed class PipelineCommands : ICommandProvider
{
    private readonly Option<string?> _root = new("--root") { Description = "Repository root (default: the nearest directory up from here with upstream.lock)" };
    private readonly Option<string?> _workDir = new("--work-dir") { Description = $"Work tree (default: {PipelineLocation.DefaultWorkDir})" };
    private readonly Option<string?> _cacheDir = new("--cache-dir") { Description = "Upstream object cache (default: $XDG_CACHE_HOME/triton-mesos/upstream.git or .work/cache/upstream.git)" };
    private readonly Option<string?> _upstreamUrl = new("--upstream-url") { Description = "URL or local path of an Apache Mesos clone to fetch from instead of the lock's url (offline use, mirrors)" };
    private readonly Option<string?> _upstreamRef = new("--upstream-ref") { Description = "Ref to resolve instead of the lock's ref; it must still name the lock's commit" };

    public IEnumerable<Command> CreateCommands() => [CreateApply(), CreateExport(), CreateVerify(), CreateStatus()];

    private PipelineLocation Location(ParseResult parse)
    {
        var root = parse.GetValue(_root) ?? PipelineLocation.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var location = new PipelineLocation(root).WithProgress(new TextWriterProgress(Console.Out));
        if (parse.GetValue(_workDir) is { } workDir)
            location = location.WithWorkDir(Path.GetFullPath(workDir));
        if (parse.GetValue(_cacheDir) is { } cacheDir)
            location = location.WithCacheDir(Path.GetFullPath(cacheDir));
        if (parse.GetValue(_upstreamUrl) is { } url)
            location = location.WithUpstreamUrl(Directory.Exists(url) ? Path.GetFullPath(url) : url);
        return location.WithUpstreamRef(parse.GetValue(_upstreamRef));
    }

    private Command CreateApply()
    {
        var features = new Option<string?>("--features") { Description = "Apply only the patches of these features (comma-separated Feature: ids)" };
        var force = new Option<bool>("--force") { Description = "Replace the work tree even if it has uncommitted changes or commits not exported to patches/" };
        var threeWay = new Option<bool>("--3way") { Description = "Let git am --3way merge patches whose context moved (then run export to refresh them)" };
        var command = new Command("apply", "Fetch the locked upstream commit and apply patches/series into the work tree, one commit per patch (all or nothing)");
        foreach (var option in new Option[] { _root, _workDir, _cacheDir, _upstreamUrl, _upstreamRef, features, force, threeWay })
            command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var options = new ApplyOptions(Location(parse))
                .WithFeatures(parse.GetValue(features)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .WithForce(parse.GetValue(force))
                .WithThreeWay(parse.GetValue(threeWay));
            await new PatchPipeline().ApplyAsync(options, ct);
            return 0;
        });
        return command;
    }

    private Command CreateExport()
    {
        var output = new Option<string?>("--output") { Description = "Write to this directory instead of patches/" };
        var command = new Command("export", "Regenerate patches/ (files and series) from the work tree's commits, byte-for-byte deterministic");
        foreach (var option in new Option[] { _root, _workDir, output })
            command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var options = new ExportOptions(Location(parse)).WithOutputDir(parse.GetValue(output) is { } o ? Path.GetFullPath(o) : null);
            await new PatchPipeline().ExportAsync(options, ct);
            return 0;
        });
        return command;
    }

    private Command CreateVerify()
    {
        var headersOnly = new Option<bool>("--headers-only") { Description = "Check headers and series only (no upstream needed)" };
        var fixedDir = new Option<string?>("--fixed-dir") { Description = "Where corrected files go (default: artifacts/fixed-patches)" };
        var command = new Command("verify", "Check patches/: valid headers, series and files agree, and a re-export is byte-identical");
        foreach (var option in new Option[] { _root, _cacheDir, _upstreamUrl, _upstreamRef, headersOnly, fixedDir })
            command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var options = new VerifyOptions(Location(parse)).WithHeadersOnly(parse.GetValue(headersOnly));
            if (parse.GetValue(fixedDir) is { } dir)
                options = options.WithFixedPatchesDir(Path.GetFullPath(dir));
            var result = await new PatchPipeline().VerifyAsync(options, ct);
            Console.Error.Write(VerifyText.RenderErrors(result));
            Console.Out.Write(VerifyText.RenderSummary(result));
            return result.Succeeded ? 0 : 1;
        });
        return command;
    }

    private Command CreateStatus()
    {
        var command = new Command("status", "Show what is applied in the work tree, on which commit, and whether it has changes not yet exported");
        foreach (var option in new Option[] { _root, _workDir })
            command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var status = await new PatchPipeline().StatusAsync(new StatusOptions(Location(parse)), ct);
            Console.Out.Write(StatusText.Render(status));
            return 0;
        });
        return command;
    }
}
