using System.Diagnostics;

namespace TritonMesos.Pipeline;

public sealed partial class PatchPipeline
{
    /// <summary>
    /// Applies the series onto the locked upstream commit in a scratch clone and swaps it in as the work tree only when
    /// every patch applied. A no-op when the inputs are unchanged since the last apply and the tree is untouched.
    /// </summary>
    public async Task<AppliedSeries> ApplyAsync(ApplyOptions options, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var location = options.Location;
        var inputs = SeriesInputs.Load(location, options.Features, options.ThreeWay);
        foreach (var warning in inputs.Warnings)
            location.Report("warning: " + warning);
        var workDir = location.WorkDirPath;
        var shown = Relative(location, workDir);

        using var workLock = WorkDirLock.Acquire(workDir, "the work tree");
        RecoverInterruptedRun(workDir, location);

        var stamp = Directory.Exists(workDir) ? ApplyStamp.TryLoad(workDir) : null;
        if (stamp is not null && stamp.InputsHash == inputs.Hash && await IsUntouchedAsync(workDir, stamp, cancellationToken))
        {
            location.Report($"{shown} is up to date ({stamp.Applied.Count} patches on {UpstreamCache.Short(stamp.UpstreamCommit)}, " +
                            $"HEAD {UpstreamCache.Short(stamp.Head)}); nothing to do");
            return new AppliedSeries(workDir, stamp.UpstreamCommit, stamp.Head, true,
                stamp.Applied.Select(a => new AppliedPatch(a, "", "", null)).ToList(), inputs.Features ?? [], inputs.Warnings,
                watch.Elapsed);
        }
        if (Directory.Exists(workDir) && !options.Force)
            await EnsureNothingToLoseAsync(workDir, stamp, inputs, location, cancellationToken);

        var upstream = inputs.Upstream;
        var cache = new UpstreamCache(location.CachePath);
        await cache.EnsureCommitAsync(upstream, location.UpstreamUrl ?? upstream.Url, location.UpstreamRef ?? upstream.Ref,
            location.LockPath, location, cancellationToken);

        var scratch = $"{workDir}.new-{Random()}";
        try
        {
            var warnings = inputs.Warnings.Concat(
                await ScratchTree.CreateAsync(cache, upstream.Commit, scratch, location, cancellationToken)).ToList();
            var applied = await ScratchTree.ApplyAsync(scratch, inputs.Selected, options.ThreeWay, location, cancellationToken);
            var head = (await Git.RunAsync(scratch, ["rev-parse", "HEAD"], cancellationToken)).Trim();
            new ApplyStamp(inputs.Hash, upstream.Commit, head, applied.Select(a => a.FileName).ToList(), inputs.Features,
                options.ThreeWay).Save(scratch);
            SwapIn(scratch, workDir);
            location.Report($"applied {applied.Count} patch{(applied.Count == 1 ? "" : "es")} onto " +
                            $"{UpstreamCache.Short(upstream.Commit)} in {shown} (HEAD {UpstreamCache.Short(head)}, " +
                            $"{watch.Elapsed.TotalSeconds:F1} s)");
            return new AppliedSeries(workDir, upstream.Commit, head, false, applied, inputs.Features ?? [], warnings, watch.Elapsed);
        }
        finally
        {
            DeleteDirectory(scratch);
        }
    }

    private static async Task<bool> IsUntouchedAsync(string workDir, ApplyStamp stamp, CancellationToken ct) =>
        await Git.TryResolveCommitAsync(workDir, "HEAD", ct) == stamp.Head
        && (await UncommittedChangesAsync(workDir, ct)).Count == 0;

    /// <summary>Refuses to replace a work tree holding uncommitted changes or commits that <c>patches/</c> lacks.</summary>
    private static async Task EnsureNothingToLoseAsync(string workDir, ApplyStamp? stamp, SeriesInputs inputs,
        PipelineLocation location, CancellationToken ct)
    {
        var shown = Relative(location, workDir);
        if (!Directory.Exists(Path.Combine(workDir, ".git")))
            throw new TritonMesosException($"{shown} exists but is not a git work tree made by triton-mesos", workDir,
                nextStep: "move it away, or run `triton-mesos apply --force` to replace it");
        var changes = await UncommittedChangesAsync(workDir, ct);
        if (changes.Count > 0)
            throw new TritonMesosException(
                $"{shown} has {changes.Count} uncommitted change{(changes.Count == 1 ? "" : "s")} " +
                $"({string.Join(", ", changes.Take(5).Select(c => c[3..]))}{(changes.Count > 5 ? ", …" : "")}); applying would lose them",
                workDir, nextStep: $"keep them: commit in {shown} and run `triton-mesos export`; " +
                                   "discard them: `triton-mesos apply --force`");
        var head = await Git.TryResolveCommitAsync(workDir, "HEAD", ct);
        if (stamp is not null && head == stamp.Head)
            return;
        var unexported = await UnexportedCommitsAsync(workDir, inputs.Upstream.Commit, location, ct);
        if (unexported.Count > 0)
            throw new TritonMesosException(
                $"{shown} has {unexported.Count} commit{(unexported.Count == 1 ? "" : "s")} not in patches/ " +
                $"({string.Join("; ", unexported.Take(5).Select(c => $"{UpstreamCache.Short(c.Commit)} {c.Subject}"))}); applying would lose them",
                workDir, nextStep: "keep them: `triton-mesos export` (writes them to patches/); discard them: `triton-mesos apply --force`");
    }

    /// <summary>Commits on top of the base whose export matches no file in <c>patches/</c> byte for byte.</summary>
    private static async Task<IReadOnlyList<FormattedPatch>> UnexportedCommitsAsync(string workDir, string fallbackBase,
        PipelineLocation location, CancellationToken ct)
    {
        var baseCommit = await Git.TryResolveCommitAsync(workDir, ScratchTree.BaseRef, ct) ?? fallbackBase;
        var formatted = await PatchExporter.FormatAsync(workDir, baseCommit, Path.Combine(workDir, ".git", "triton-mesos-export-" + Random()), ct);
        var existing = Directory.Exists(location.PatchesDir)
            ? Directory.EnumerateFiles(location.PatchesDir, "*.patch").Select(File.ReadAllBytes).ToList()
            : [];
        return formatted.Where(f => !existing.Any(e => e.AsSpan().SequenceEqual(f.Bytes))).ToList();
    }

    /// <summary>
    /// Undoes what a killed run left: if the work tree was moved aside but the new one not yet moved in, moves it back;
    /// then removes scratch and old trees (we hold the lock, so no other run owns them).
    /// </summary>
    private static void RecoverInterruptedRun(string workDir, PipelineLocation location)
    {
        var parent = Path.GetDirectoryName(workDir)!;
        if (!Directory.Exists(parent))
            return;
        var name = Path.GetFileName(workDir);
        var old = Directory.EnumerateDirectories(parent, name + ".old-*").OrderByDescending(Directory.GetLastWriteTimeUtc).ToList();
        if (!Directory.Exists(workDir) && old.Count > 0)
        {
            location.Report($"restoring {Relative(location, workDir)} from {Path.GetFileName(old[0])} (an earlier run was interrupted)");
            Directory.Move(old[0], workDir);
            old.RemoveAt(0);
        }
        foreach (var stale in Directory.EnumerateDirectories(parent, name + ".new-*").Concat(old).ToList())
        {
            location.Report($"removing {Path.GetFileName(stale)} left by an interrupted run");
            DeleteDirectory(stale);
        }
    }

    /// <summary>Replaces <paramref name="workDir"/> by <paramref name="scratch"/> with two renames; the old tree is kept until both succeeded.</summary>
    private static void SwapIn(string scratch, string workDir)
    {
        if (!Directory.Exists(workDir))
        {
            Directory.Move(scratch, workDir);
            return;
        }
        var old = $"{workDir}.old-{Random()}";
        Directory.Move(workDir, old);
        try
        {
            Directory.Move(scratch, workDir);
        }
        catch
        {
            Directory.Move(old, workDir);
            throw;
        }
        try
        {
            DeleteDirectory(old);
        }
        catch (IOException)
        {
            // Left for the next run's cleanup.
        }
    }
}
