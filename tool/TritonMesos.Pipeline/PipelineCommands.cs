using System.CommandLine;

namespace TritonMesos.Pipeline;

/// <summary>The <c>triton-mesos</c> commands of the Pipeline area: apply, export, verify, status, update.</summary>
public sealed class PipelineCommands : ICommandProvider
{
    private readonly Option<string?> _root = new("--root") { Description = "Repository root (default: the nearest directory up from here with upstream.lock)" };
    private readonly Option<string?> _workDir = new("--work-dir") { Description = $"Work tree (default: {RepositoryLayout.DefaultWorkTree})" };
    private readonly Option<string?> _cacheDir = new("--cache-dir") { Description = "Upstream object cache (default: $XDG_CACHE_HOME/triton-mesos/upstream.git or .work/cache/upstream.git)" };
    private readonly Option<string?> _upstreamUrl = new("--upstream-url") { Description = "URL or local path of an Apache Mesos clone to fetch from instead of the lock's url (offline use, mirrors)" };
    private readonly Option<string?> _upstreamRef = new("--upstream-ref") { Description = "Ref to resolve instead of the lock's ref; it must still name the lock's commit" };

    public IEnumerable<Command> CreateCommands() => [CreateApply(), CreateExport(), CreateVerify(), CreateStatus(), CreateUpdate()];

    private PipelineLocation Location(ParseResult parse)
    {
        var location = new PipelineLocation(RepositoryLayout.FromOption(parse.GetValue(_root)).Root).WithProgress(new TextWriterProgress(Console.Out));
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
            return (await VerifyAsync(options, ct)).Succeeded ? 0 : 1;
        });
        return command;
    }

    /// <summary>Verifies <c>patches/</c> and prints the errors (stderr) and the verdict (stdout).</summary>
    public static async Task<VerifyResult> VerifyAsync(VerifyOptions options, CancellationToken ct = default)
    {
        var result = await new PatchPipeline().VerifyAsync(options, ct);
        Console.Error.Write(VerifyText.RenderErrors(result));
        Console.Out.Write(VerifyText.RenderSummary(result));
        return result;
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

    private Command CreateUpdate()
    {
        var newRef = new Option<string?>("--ref") { Description = "The upstream ref to move the series to (tag, branch or commit)" };
        var cont = new Option<bool>("--continue") { Description = "Resume after resolving a conflict in the scratch worktree (git add the files first)" };
        var abort = new Option<bool>("--abort") { Description = "Give up the update: remove the scratch worktree; patches/ and upstream.lock stay as they were" };
        var dropMerged = new Option<bool>("--drop-merged") { Description = "Drop patches found already upstream (otherwise the update stops and names them)" };
        var scratch = new Option<string?>("--scratch") { Description = "Scratch worktree (default: .work/update)" };
        var command = new Command("update", "Rebase the series onto a newer upstream ref (3-way); refresh patches/ and upstream.lock only if every patch applies");
        foreach (var option in new Option[] { _root, _cacheDir, _upstreamUrl, newRef, cont, abort, dropMerged, scratch })
            command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var options = new UpdateOptions(Location(parse))
                .WithRef(parse.GetValue(newRef))
                .WithMode(UpdateOptions.ModeOf(parse.GetValue(cont), parse.GetValue(abort)))
                .WithDropMerged(parse.GetValue(dropMerged))
                .WithScratchDirectory(parse.GetValue(scratch) is { } s ? Path.GetFullPath(s) : null);
            return (await new PatchPipeline().UpdateAsync(options, ct)).ExitCode;
        });
        return command;
    }
}
