namespace TritonMesos.Pipeline;

/// <summary>A fresh clone of the cache at the upstream commit where the series is applied before it is swapped in.</summary>
internal static class ScratchTree
{
    /// <summary>The local branch holding the applied series.</summary>
    public const string Branch = "triton-mesos";

    /// <summary>The ref recording the upstream commit the series sits on (what <c>export</c> starts from).</summary>
    public const string BaseRef = "refs/triton-mesos/base";

    /// <summary>Clones the cache into <paramref name="directory"/> and checks out <paramref name="commit"/>.</summary>
    /// <returns>Warnings (files replaced by placeholders).</returns>
    public static async Task<IReadOnlyList<string>> CreateAsync(UpstreamCache cache, string commit, string directory,
        PipelineLocation location, CancellationToken ct)
    {
        var parent = Path.GetDirectoryName(directory)!;
        Directory.CreateDirectory(parent);
        await Git.RunAsync(parent, ["clone", "-q", "--local", "--no-checkout", cache.Path, directory], ct);
        var warnings = new List<string>();
        var missing = await cache.FindMissingBlobsAsync(commit, ct);
        if (missing.Count > 0)
        {
            UpstreamCache.WritePlaceholders(Path.Combine(directory, ".git"), missing);
            warnings.Add($"{missing.Count} file(s) are missing from the upstream clone and were checked out as placeholder text: " +
                         string.Join(", ", missing.Select(m => m.Path)));
            location.Report("warning: " + warnings[^1]);
        }
        location.Report($"checking out {UpstreamCache.Short(commit)}");
        await Git.RunAsync(directory, ["checkout", "-q", "-B", Branch, commit], ct);
        await Git.RunAsync(directory, ["update-ref", BaseRef, commit], ct);
        // A placeholder never hashes to its blob id, so git would report it as modified once its index entry is
        // re-checked (racy-clean timestamps), and the next apply would refuse to run; git is told not to look.
        if (missing.Count > 0)
            await Git.RunAsync(directory, ["update-index", "--skip-worktree", "--", .. missing.Select(m => m.Path)], ct);
        return warnings;
    }

    /// <summary>Applies each patch as one commit (one <c>git am</c> run); on failure throws a report naming patch, file and hunk.</summary>
    public static async Task<IReadOnlyList<AppliedPatch>> ApplyAsync(string directory, IReadOnlyList<PatchFile> patches,
        bool threeWay, PipelineLocation location, CancellationToken ct)
    {
        if (patches.Count == 0)
            return [];
        // git am prints "Applying: <subject>" as it starts each patch; that drives the progress lines.
        var started = 0;
        List<string> args = ["am", "--keep-cr", "--committer-date-is-author-date", threeWay ? "--3way" : "--no-3way",
            .. patches.Select(p => p.Path)];
        var result = await Git.TryRunAsync(directory, args, ct, onOutputLine: line =>
        {
            if (line.StartsWith("Applying: ", StringComparison.Ordinal) && started < patches.Count)
            {
                location.Report($"[{started + 1}/{patches.Count}] applying {patches[started].FileName}");
                started++;
            }
        });
        var baseCommit = (await Git.RunAsync(directory, ["rev-parse", BaseRef], ct)).Trim();
        var commits = (await Git.RunAsync(directory, ["rev-list", "--reverse", $"{baseCommit}..HEAD"], ct))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (!result.Succeeded)
        {
            var failed = Math.Min(commits.Length, patches.Count - 1);
            // Keep the patches that applied; drop the failed one's half state so it can be checked on its own.
            await Git.TryRunAsync(directory, ["am", "--quit"], ct);
            await Git.TryRunAsync(directory, ["reset", "-q", "--hard", "HEAD"], ct);
            throw await ApplyFailure.DiagnoseAsync(directory, patches[failed], failed, patches.Count, result, threeWay, ct);
        }
        if (commits.Length != patches.Count)
            throw new TritonMesosException($"git am made {commits.Length} commits for {patches.Count} patches", directory);
        return patches.Select((p, i) => new AppliedPatch(p.FileName, commits[i], p.Subject, p.Feature)).ToList();
    }
}
