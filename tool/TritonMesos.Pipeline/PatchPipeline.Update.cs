using System.Globalization;

namespace TritonMesos.Pipeline;

public sealed partial class PatchPipeline
{
    /// <summary>
    /// Moves the series to a new upstream ref: <c>git am -3</c> in a scratch clone; on success rewrites <c>patches/</c>
    /// (through the exporter, so the files are what <c>export</c> writes) and the lock; on a conflict leaves the scratch
    /// worktree for the user and changes nothing else.
    /// </summary>
    public Task<UpdateResult> UpdateAsync(UpdateOptions options, CancellationToken cancellationToken = default) => options.Mode switch
    {
        UpdateMode.Abort => AbortUpdateAsync(options, cancellationToken),
        UpdateMode.Continue => ContinueUpdateAsync(options, cancellationToken),
        _ => StartUpdateAsync(options, cancellationToken),
    };

    private static string UpdateRepo(UpdateOptions options) => Path.Combine(options.Scratch, "repo");

    private static async Task<UpdateResult> StartUpdateAsync(UpdateOptions options, CancellationToken ct)
    {
        var location = options.Location;
        if (UpdateState.Load(options.Scratch) is { } open)
            throw new TritonMesosException($"an update to '{open.Ref}' is already in progress in {UpdateRepo(options)}",
                nextStep: "resolve it and run `triton-mesos update --continue`, or `triton-mesos update --abort`");
        if (string.IsNullOrWhiteSpace(options.Ref))
            throw new TritonMesosException("update needs --ref <new upstream ref>", nextStep: "e.g. `triton-mesos update --ref 1.11.0`");
        var patches = PatchSeries.Load(location.PatchesDir).LoadPatches();
        UpstreamLock.Load(location.LockPath);
        var upstream = LocateUpstream(location);
        var commit = await Git.TryResolveCommitAsync(upstream, options.Ref, ct)
                     ?? await Git.TryResolveCommitAsync(upstream, "origin/" + options.Ref, ct)
                     ?? throw new TritonMesosException($"unknown upstream ref '{options.Ref}' in {upstream}",
                         nextStep: "use a tag, branch or commit of the upstream clone; update the clone if the tag is new");

        // The same scratch clone as apply's: blobs the upstream clone lacks (the mirror's 3rdparty tarballs) become placeholders.
        var repo = UpdateRepo(options);
        DeleteDirectory(options.Scratch);
        Directory.CreateDirectory(Path.Combine(options.Scratch, "input"));
        await ScratchTree.CreateAsync(new UpstreamCache(upstream), commit, repo, location, ct);

        // Patches the new ref already has: the patch does not apply, its reverse does.
        var merged = new Dictionary<string, string>();
        foreach (var patch in patches)
            if (!(await Git.TryRunAsync(repo, ["apply", "--check", patch.Path], ct)).Succeeded
                && (await Git.TryRunAsync(repo, ["apply", "--check", "--reverse", patch.Path], ct)).Succeeded)
                merged[patch.FileName] = "reverse-applies on " + options.Ref;
        location.Report($"update: {patches.Count} patches onto {options.Ref} ({commit[..12]})");
        if (merged.Count > 0 && !options.DropMerged)
        {
            DeleteDirectory(options.Scratch);
            var lines = merged.Select(m => new PatchUpdate(m.Key, "already-upstream", m.Value)).ToList();
            foreach (var l in lines)
                location.Report($"  {l.File}: already upstream ({l.Detail})");
            var next = new[] { $"triton-mesos update --ref {options.Ref} --drop-merged" };
            location.Report("update: nothing changed. To drop the patches upstream already has, run:");
            location.Report("  " + next[0]);
            return new UpdateResult(UpdateOutcome.MergedUpstream, lines, null, next);
        }

        // The inputs carry today's Last-Update, so the commits and therefore the export have it.
        var today = (options.Today ?? DateOnly.FromDateTime(DateTime.UtcNow)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var patch in patches)
            File.WriteAllText(Path.Combine(options.Scratch, "input", patch.FileName), PatchFile.WithLastUpdate(File.ReadAllText(patch.Path), today));
        var state = new UpdateState(options.Ref, commit, upstream, UpdateState.HashInputs(location.PatchesDir, location.LockPath),
            patches.Select(p => merged.TryGetValue(p.FileName, out var why)
                ? new PatchProgress(p.FileName, "dropped", "already upstream: " + why)
                : new PatchProgress(p.FileName, "pending", "")).ToList());
        state.Save(options.Scratch);
        return await RunUpdateAsync(options, state, ct);
    }

    /// <summary>The local upstream clone to rebase onto: --upstream-url, else the cache.</summary>
    private static string LocateUpstream(PipelineLocation location)
    {
        if (location.UpstreamUrl is { } url)
            return Git.IsLocalPath(url, out var path) ? Path.GetFullPath(path)
                : throw new TritonMesosException($"--upstream-url '{url}' is not a local git clone; update reads a local clone only",
                    nextStep: "clone it first (`git clone --bare <url> <dir>`) or let `triton-mesos apply` fill its cache, then pass the local path");
        var candidates = location.CacheDir is not null ? [location.CachePath] : location.Layout.UpstreamCacheCandidates;
        return candidates.FirstOrDefault(Directory.Exists)
               ?? throw new TritonMesosException("no upstream clone found (searched " + string.Join(", ", candidates) + ")",
                   nextStep: "run `./build.sh Patch` to fill the pipeline cache, or pass --upstream-url <path of a local Mesos clone with tags>");
    }

    private static async Task<UpdateResult> ContinueUpdateAsync(UpdateOptions options, CancellationToken ct)
    {
        var state = UpdateState.Load(options.Scratch)
            ?? throw new TritonMesosException("no update in progress", nextStep: "start one with `triton-mesos update --ref <ref>`");
        var repo = UpdateRepo(options);
        var unmerged = (await Git.RunAsync(repo, ["diff", "--name-only", "--diff-filter=U"], ct))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (unmerged.Length > 0)
            throw new TritonMesosException($"still unresolved in {repo}: {string.Join(", ", unmerged)}",
                nextStep: $"edit the files, `git -C {repo} add <file>…`, then `triton-mesos update --continue` (or `--abort`)");
        var index = state.Patches.ToList().FindIndex(p => p.Action == "stopped");
        if (index >= 0 && Directory.Exists(Path.Combine(repo, ".git", "rebase-apply")))
        {
            var stoppedOnMerged = state.Patches[index].Detail.StartsWith("already upstream", StringComparison.Ordinal);
            if (stoppedOnMerged && options.DropMerged)
            {
                await Git.RunAsync(repo, ["am", "--skip"], ct);
                state = state.WithPatch(index, state.Patches[index].WithAction("dropped", state.Patches[index].Detail));
            }
            else
            {
                var resumed = await Git.TryRunAsync(repo, ["am", "--continue"], ct);
                if (!resumed.Succeeded)
                    throw new TritonMesosException($"`git am --continue` failed: {(resumed.StandardOutput + resumed.StandardError).Trim()}",
                        nextStep: stoppedOnMerged
                            ? "the patch is already upstream: run `triton-mesos update --continue --drop-merged` to drop it, or `--abort`"
                            : $"stage the resolution with `git -C {repo} add <file>…` (an empty result means upstream has it: use --drop-merged), or `--abort`");
                state = state.WithPatch(index, state.Patches[index].WithAction("resolved", "conflict resolved by hand"));
            }
        }
        else if (index >= 0)
            state = state.WithPatch(index, state.Patches[index].WithAction("resolved", "resolved by hand"));
        state.Save(options.Scratch);
        return await RunUpdateAsync(options with { Ref = state.Ref }, state, ct);
    }

    private static async Task<UpdateResult> AbortUpdateAsync(UpdateOptions options, CancellationToken ct)
    {
        var location = options.Location;
        var state = UpdateState.Load(options.Scratch);
        var repo = UpdateRepo(options);
        string? saved = null;
        if (Directory.Exists(repo))
        {
            // Keep whatever was edited in the scratch worktree: nothing is lost on abort.
            var diff = await Git.TryRunAsync(repo, ["diff", "HEAD"], ct);
            if (diff.Succeeded && diff.StandardOutput.Length > 0)
            {
                saved = Path.Combine(Path.GetDirectoryName(options.Scratch)!, $"update-aborted-{DateTime.UtcNow:yyyyMMddHHmmss}.diff");
                await File.WriteAllTextAsync(saved, diff.StandardOutput, ct);
            }
            await Git.TryRunAsync(repo, ["am", "--abort"], ct);
        }
        DeleteDirectory(options.Scratch);
        location.Report(state is null ? "update: no update was in progress; nothing to abort"
            : $"update: aborted the update to {state.Ref}; patches/ and {UpstreamLock.FileName} are unchanged");
        if (saved is not null)
            location.Report($"update: the edits in the scratch worktree were saved to {saved}");
        return new UpdateResult(UpdateOutcome.Aborted, state?.Patches.Select(p => new PatchUpdate(p.File, p.Action, p.Detail)).ToList() ?? [], null, []);
    }

    /// <summary>Applies every pending patch in order; stops at the first conflict, else writes the results.</summary>
    private static async Task<UpdateResult> RunUpdateAsync(UpdateOptions options, UpdateState state, CancellationToken ct)
    {
        var repo = UpdateRepo(options);
        for (var i = 0; i < state.Patches.Count; i++)
        {
            var patch = state.Patches[i];
            if (patch.Action != "pending")
                continue;
            var input = Path.Combine(options.Scratch, "input", patch.File);
            var am = await Git.TryRunAsync(repo, ["am", "-3", "--keep-cr", "--no-gpg-sign", input], ct);
            var text = am.StandardOutput + am.StandardError;
            if (am.Succeeded)
            {
                var threeWay = text.Contains("3-way merge", StringComparison.Ordinal);
                state = state.WithPatch(i, patch.WithAction(threeWay ? "applied-3way" : "applied", threeWay ? "applied with a 3-way merge" : "applied"));
                state.Save(options.Scratch);
                continue;
            }
            var alreadyApplied = text.Contains("already applied", StringComparison.OrdinalIgnoreCase) || text.Contains("No changes", StringComparison.Ordinal);
            if (alreadyApplied && options.DropMerged)
            {
                await Git.RunAsync(repo, ["am", "--skip"], ct);
                state = state.WithPatch(i, patch.WithAction("dropped", "already upstream (3-way merge left nothing to apply)"));
                state.Save(options.Scratch);
                continue;
            }
            var unmerged = (await Git.TryRunAsync(repo, ["diff", "--name-only", "--diff-filter=U"], ct)).StandardOutput
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var detail = alreadyApplied
                ? "already upstream (3-way merge left nothing to apply)"
                : unmerged.Length > 0 ? "conflict in " + string.Join(", ", unmerged) : "does not apply: " + FirstError(text);
            state = state.WithPatch(i, patch.WithAction("stopped", detail));
            state.Save(options.Scratch);
            return UpdateStopped(options, state, repo, unmerged, alreadyApplied);
        }
        return await FinishUpdateAsync(options, state, ct);
    }

    private static UpdateResult UpdateStopped(UpdateOptions options, UpdateState state, string repo, IReadOnlyList<string> unmerged, bool alreadyApplied)
    {
        var lines = ReportPatches(options.Location, state);
        var next = alreadyApplied
            ? new List<string> { "triton-mesos update --continue --drop-merged", "triton-mesos update --abort" }
            : new List<string>
            {
                $"cd {repo}",
                unmerged.Count > 0 ? $"$EDITOR {string.Join(' ', unmerged)}" : "git am --show-current-patch=diff   # apply the change by hand",
                unmerged.Count > 0 ? $"git add {string.Join(' ', unmerged)}" : "git add <files>",
                "triton-mesos update --continue   # or: triton-mesos update --abort",
            };
        options.Location.Report($"update: stopped; the conflict is in {repo}. patches/ and {UpstreamLock.FileName} are unchanged. Next:");
        foreach (var n in next)
            options.Location.Report("  " + n);
        return new UpdateResult(UpdateOutcome.Conflict, lines, repo, next);
    }

    /// <summary>Exports the rebased commits into <c>patches/</c> with the exporter (file names and series comments kept, dropped patches removed) and moves the lock.</summary>
    private static async Task<UpdateResult> FinishUpdateAsync(UpdateOptions options, UpdateState state, CancellationToken ct)
    {
        var location = options.Location;
        var repo = UpdateRepo(options);
        if (UpdateState.HashInputs(location.PatchesDir, location.LockPath) != state.InputsHash)
            throw new TritonMesosException($"patches/ or {UpstreamLock.FileName} changed while the update was open; not overwriting them",
                nextStep: $"the rebased series is in {repo} (branch {ScratchTree.Branch}); run `triton-mesos update --abort` and start again");
        var formatted = await PatchExporter.FormatAsync(repo, state.Commit, Path.Combine(options.Scratch, "export"), ct);
        var kept = state.Patches.Where(p => p.Action != "dropped").ToList();
        if (formatted.Count != kept.Count)
            throw new TritonMesosException($"expected {kept.Count} commits on {ScratchTree.Branch} in {repo}, found {formatted.Count}",
                nextStep: "inspect the scratch worktree (a resolved patch may have become empty); `triton-mesos update --abort` discards it");

        var series = PatchSeries.Load(location.PatchesDir, requireFiles: false);
        var plan = PlanFor(series, null, formatted);
        Write(plan, location.PatchesDir, removeFrom: location.PatchesDir, []);
        UpstreamLock.Load(location.LockPath).WithRef(state.Ref).WithCommit(state.Commit).Save(location.LockPath);

        var result = ReportPatches(location, state);
        location.Report($"update: moved {kept.Count} patches to {state.Ref} ({state.Commit[..12]}); dropped {plan.Removed.Count}; " +
                        $"wrote patches/ and {UpstreamLock.FileName}");
        DeleteDirectory(options.Scratch);
        return new UpdateResult(UpdateOutcome.Updated, result, null, []);
    }

    private static IReadOnlyList<PatchUpdate> ReportPatches(PipelineLocation location, UpdateState state)
    {
        var lines = state.Patches.Select(p => new PatchUpdate(p.File, p.Action, p.Detail)).ToList();
        foreach (var l in lines)
            location.Report($"  {l.File}: {l.Action}{(l.Detail.Length > 0 && l.Detail != l.Action ? " — " + l.Detail : "")}");
        return lines;
    }

    private static string FirstError(string text) =>
        text.Split('\n').FirstOrDefault(l => l.StartsWith("error:", StringComparison.Ordinal))?.Trim() ?? text.Split('\n').FirstOrDefault()?.Trim() ?? "";
}
