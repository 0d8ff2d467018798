using System.Globalization;
using System.Text.RegularExpressions;
using TritonMesos.Report.Git;

namespace TritonMesos.Report.Update;

/// <summary>
/// Moves the series to a new upstream ref: <c>git am -3</c> in a scratch clone; on success rewrites patches/ and the lock,
/// on a conflict leaves the scratch worktree for the user and changes nothing else.
/// </summary>
public static partial class SeriesUpdater
{
    private static readonly IReadOnlyDictionary<string, string?> Identity = new Dictionary<string, string?>
    {
        ["GIT_COMMITTER_NAME"] = "triton-mesos update",
        ["GIT_COMMITTER_EMAIL"] = "triton-mesos@users.noreply.github.com",
    };

    /// <summary>The branch the scratch clone rebuilds the series on.</summary>
    public const string Branch = "triton-update";

    /// <summary>Runs the update in the mode of <paramref name="options"/>.</summary>
    public static Task<UpdateResult> UpdateAsync(UpdateOptions options, CancellationToken cancellationToken = default) => options.Mode switch
    {
        UpdateMode.Abort => AbortAsync(options, cancellationToken),
        UpdateMode.Continue => ContinueAsync(options, cancellationToken),
        _ => StartAsync(options, cancellationToken),
    };

    private static string Repo(UpdateOptions options) => Path.Combine(options.Scratch, "repo");

    private static async Task<UpdateResult> StartAsync(UpdateOptions options, CancellationToken ct)
    {
        var output = options.Output;
        if (UpdateState.Load(options.Scratch) is { } open)
            throw new TritonMesosException($"an update to '{open.Ref}' is already in progress in {Repo(options)}",
                nextStep: "resolve it and run `triton-mesos update --continue`, or `triton-mesos update --abort`");
        if (string.IsNullOrWhiteSpace(options.Ref))
            throw new TritonMesosException("update needs --ref <new upstream ref>", nextStep: "e.g. `triton-mesos update --ref 1.11.0`");
        var series = PatchSeries.Load(options.Patches);
        var patches = series.LoadPatches();
        UpstreamLock.Load(options.Lock);
        var upstream = UpstreamLocator.Locate(options.RootDirectory, options.UpstreamPath);

        // Find patches the new ref already has before touching anything.
        string commit;
        var merged = new Dictionary<string, string>();
        using (var repository = UpstreamRepository.Open(upstream))
        {
            var target = repository.Resolve(options.Ref) ?? throw new TritonMesosException($"unknown upstream ref '{options.Ref}' in {upstream}",
                nextStep: "use a tag, branch or commit of the upstream clone; update the clone if the tag is new");
            commit = target.Commit;
            foreach (var patch in patches)
            {
                var result = PatchApplier.Apply(PreparedPatch.From(patch), path => repository.ReadFile(commit, path), repository.ReadBlob).Result;
                if (result.Status == ApplyStatus.AlreadyUpstream)
                    merged[patch.FileName] = "reverse-applies on " + options.Ref;
            }
        }
        output.WriteLine($"update: {patches.Count} patches onto {options.Ref} ({commit[..12]})");
        if (merged.Count > 0 && !options.DropMerged)
        {
            var lines = merged.Select(m => new PatchUpdate(m.Key, "already-upstream", m.Value)).ToList();
            foreach (var l in lines)
                output.WriteLine($"  {l.File}: already upstream ({l.Detail})");
            var next = new[] { $"triton-mesos update --ref {options.Ref} --drop-merged" };
            output.WriteLine("update: nothing changed. To drop the patches upstream already has, run:");
            output.WriteLine("  " + next[0]);
            return new UpdateResult(UpdateOutcome.MergedUpstream, lines, null, next);
        }

        var repo = Repo(options);
        if (Directory.Exists(options.Scratch))
            Directory.Delete(options.Scratch, recursive: true);
        Directory.CreateDirectory(Path.Combine(options.Scratch, "input"));
        await GitCli.RunCheckedAsync(options.RootDirectory, ["clone", "--quiet", "--shared", "--no-checkout", upstream, repo], cancellationToken: ct);
        await GitCli.RunCheckedAsync(repo, ["checkout", "--quiet", "-B", Branch, commit], cancellationToken: ct);
        foreach (var patch in patches)
            File.Copy(patch.Path, Path.Combine(options.Scratch, "input", patch.FileName));
        var state = new UpdateState(options.Ref, commit, upstream, UpdateState.HashInputs(options.Patches, options.Lock),
            patches.Select(p => merged.TryGetValue(p.FileName, out var why)
                ? new PatchProgress(p.FileName, "dropped", "already upstream: " + why)
                : new PatchProgress(p.FileName, "pending", "")).ToList());
        state.Save(options.Scratch);
        return await RunAsync(options, state, ct);
    }

    private static async Task<UpdateResult> ContinueAsync(UpdateOptions options, CancellationToken ct)
    {
        var state = UpdateState.Load(options.Scratch)
            ?? throw new TritonMesosException("no update in progress", nextStep: "start one with `triton-mesos update --ref <ref>`");
        var repo = Repo(options);
        var unmerged = (await GitCli.RunCheckedAsync(repo, ["diff", "--name-only", "--diff-filter=U"], cancellationToken: ct))
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
                await GitCli.RunCheckedAsync(repo, ["am", "--skip"], environment: Identity, cancellationToken: ct);
                state = state.WithPatch(index, state.Patches[index].WithAction("dropped", state.Patches[index].Detail));
            }
            else
            {
                var resumed = await GitCli.RunAsync(repo, ["am", "--continue"], environment: Identity, cancellationToken: ct);
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
        return await RunAsync(options with { Ref = state.Ref }, state, ct);
    }

    private static async Task<UpdateResult> AbortAsync(UpdateOptions options, CancellationToken ct)
    {
        var output = options.Output;
        var state = UpdateState.Load(options.Scratch);
        var repo = Repo(options);
        string? saved = null;
        if (Directory.Exists(repo))
        {
            // Keep whatever was edited in the scratch worktree: nothing is lost on abort.
            var diff = await GitCli.RunAsync(repo, ["diff", "HEAD"], cancellationToken: ct);
            if (diff.Succeeded && diff.StandardOutput.Length > 0)
            {
                saved = Path.Combine(Path.GetDirectoryName(options.Scratch)!, $"update-aborted-{DateTime.UtcNow:yyyyMMddHHmmss}.diff");
                await File.WriteAllTextAsync(saved, diff.StandardOutput, ct);
            }
            await GitCli.RunAsync(repo, ["am", "--abort"], environment: Identity, cancellationToken: ct);
        }
        if (Directory.Exists(options.Scratch))
            Directory.Delete(options.Scratch, recursive: true);
        output.WriteLine(state is null ? "update: no update was in progress; nothing to abort" : $"update: aborted the update to {state.Ref}; patches/ and upstream.lock are unchanged");
        if (saved is not null)
            output.WriteLine($"update: the edits in the scratch worktree were saved to {saved}");
        return new UpdateResult(UpdateOutcome.Aborted, state?.Patches.Select(p => new PatchUpdate(p.File, p.Action, p.Detail)).ToList() ?? [], null, []);
    }

    /// <summary>Applies every pending patch in order; stops at the first conflict, else writes the results.</summary>
    private static async Task<UpdateResult> RunAsync(UpdateOptions options, UpdateState state, CancellationToken ct)
    {
        var repo = Repo(options);
        var output = options.Output;
        for (var i = 0; i < state.Patches.Count; i++)
        {
            var patch = state.Patches[i];
            if (patch.Action != "pending")
                continue;
            var input = Path.Combine(options.Scratch, "input", patch.File);
            var am = await GitCli.RunAsync(repo, ["am", "-3", "--no-gpg-sign", input], environment: Identity, cancellationToken: ct);
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
                await GitCli.RunCheckedAsync(repo, ["am", "--skip"], environment: Identity, cancellationToken: ct);
                state = state.WithPatch(i, patch.WithAction("dropped", "already upstream (3-way merge left nothing to apply)"));
                state.Save(options.Scratch);
                continue;
            }
            var unmerged = (await GitCli.RunAsync(repo, ["diff", "--name-only", "--diff-filter=U"], cancellationToken: ct)).StandardOutput
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var detail = alreadyApplied
                ? "already upstream (3-way merge left nothing to apply)"
                : unmerged.Length > 0 ? "conflict in " + string.Join(", ", unmerged) : "does not apply: " + FirstError(text);
            state = state.WithPatch(i, patch.WithAction("stopped", detail));
            state.Save(options.Scratch);
            return Stopped(options, state, repo, unmerged, alreadyApplied);
        }
        return await FinishAsync(options, state, ct);
    }

    private static UpdateResult Stopped(UpdateOptions options, UpdateState state, string repo, IReadOnlyList<string> unmerged, bool alreadyApplied)
    {
        var output = options.Output;
        var lines = state.Patches.Select(p => new PatchUpdate(p.File, p.Action, p.Detail)).ToList();
        foreach (var l in lines)
            output.WriteLine($"  {l.File}: {l.Action}{(l.Detail.Length > 0 && l.Detail != l.Action ? " — " + l.Detail : "")}");
        var next = alreadyApplied
            ? new List<string> { "triton-mesos update --continue --drop-merged", "triton-mesos update --abort" }
            : new List<string>
            {
                $"cd {repo}",
                unmerged.Count > 0 ? $"$EDITOR {string.Join(' ', unmerged)}" : "git am --show-current-patch=diff   # apply the change by hand",
                unmerged.Count > 0 ? $"git add {string.Join(' ', unmerged)}" : "git add <files>",
                "triton-mesos update --continue   # or: triton-mesos update --abort",
            };
        output.WriteLine($"update: stopped; the conflict is in {repo}. patches/ and upstream.lock are unchanged. Next:");
        foreach (var n in next)
            output.WriteLine("  " + n);
        return new UpdateResult(UpdateOutcome.Conflict, lines, repo, next);
    }

    private static async Task<UpdateResult> FinishAsync(UpdateOptions options, UpdateState state, CancellationToken ct)
    {
        var output = options.Output;
        var repo = Repo(options);
        if (UpdateState.HashInputs(options.Patches, options.Lock) != state.InputsHash)
            throw new TritonMesosException("patches/ or upstream.lock changed while the update was open; not overwriting them",
                nextStep: $"the rebased series is in {repo} (branch {Branch}); run `triton-mesos update --abort` and start again");
        var exportDir = Path.Combine(options.Scratch, "export");
        if (Directory.Exists(exportDir))
            Directory.Delete(exportDir, recursive: true);
        await GitCli.RunCheckedAsync(repo, ["-c", "diff.renames=true", "-c", "core.abbrev=12", "format-patch", "--quiet", "--zero-commit", "--full-index",
            "--no-signature", "--no-numbered", "-o", exportDir, state.Commit + "..HEAD"], cancellationToken: ct);
        var exported = Directory.Exists(exportDir) ? Directory.EnumerateFiles(exportDir, "*.patch").Order(StringComparer.Ordinal).ToList() : [];
        var kept = state.Patches.Where(p => p.Action != "dropped").ToList();
        if (exported.Count != kept.Count)
            throw new TritonMesosException($"expected {kept.Count} commits on {Branch} in {repo}, found {exported.Count}",
                nextStep: "inspect the scratch worktree (a resolved patch may have become empty); `triton-mesos update --abort` discards it");
        var today = (options.Today ?? DateOnly.FromDateTime(DateTime.UtcNow)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var refreshed = kept.Select((p, i) => (p.File, Text: BumpLastUpdate(File.ReadAllText(exported[i]), today))).ToList();
        foreach (var (file, text) in refreshed)
            PatchFile.Parse(file, text); // a refreshed patch that no longer parses is a bug: fail before writing anything

        // Write everything next to its target first, then move into place.
        foreach (var (file, text) in refreshed)
            File.WriteAllText(Path.Combine(options.Patches, file + ".new"), text);
        foreach (var (file, _) in refreshed)
            File.Move(Path.Combine(options.Patches, file + ".new"), Path.Combine(options.Patches, file), overwrite: true);
        var dropped = state.Patches.Where(p => p.Action == "dropped").Select(p => p.File).ToHashSet(StringComparer.Ordinal);
        if (dropped.Count > 0)
        {
            var seriesPath = Path.Combine(options.Patches, PatchSeries.FileName);
            var lines = File.ReadAllLines(seriesPath).Where(l => !dropped.Contains(l.Split('#')[0].Trim())).ToList();
            File.WriteAllText(seriesPath, string.Join('\n', lines) + "\n");
            foreach (var file in dropped)
                File.Delete(Path.Combine(options.Patches, file));
        }
        var oldLock = UpstreamLock.Load(options.Lock);
        oldLock.WithRef(state.Ref).WithCommit(state.Commit).Save(options.Lock);

        var result = state.Patches.Select(p => new PatchUpdate(p.File, p.Action, p.Detail)).ToList();
        foreach (var l in result)
            output.WriteLine($"  {l.File}: {l.Action}{(l.Detail.Length > 0 && l.Detail != l.Action ? " — " + l.Detail : "")}");
        output.WriteLine($"update: moved {kept.Count} patches to {state.Ref} ({state.Commit[..12]}); dropped {dropped.Count}; wrote patches/ and {UpstreamLock.FileName}");
        Directory.Delete(options.Scratch, recursive: true);
        return new UpdateResult(UpdateOutcome.Updated, result, null, []);
    }

    [GeneratedRegex(@"^Last-Update:.*$", RegexOptions.Multiline)]
    private static partial Regex LastUpdateLine();

    /// <summary>Sets <c>Last-Update:</c> in the commit message (adds it to the trailer block when missing).</summary>
    internal static string BumpLastUpdate(string patchText, string today)
    {
        var end = patchText.IndexOf("\n---\n", StringComparison.Ordinal);
        if (end < 0)
            return patchText;
        var message = patchText[..end];
        var rest = patchText[end..];
        message = LastUpdateLine().IsMatch(message)
            ? LastUpdateLine().Replace(message, "Last-Update: " + today, 1)
            : message.TrimEnd('\n') + "\nLast-Update: " + today;
        return message + rest;
    }

    private static string FirstError(string text) =>
        text.Split('\n').FirstOrDefault(l => l.StartsWith("error:", StringComparison.Ordinal))?.Trim() ?? text.Split('\n').FirstOrDefault()?.Trim() ?? "";
}
