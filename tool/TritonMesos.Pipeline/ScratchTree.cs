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
        return warnings;
    }

    /// <summary>Applies each patch as one commit (<c>git am</c>); on failure throws a report naming patch, file and hunk.</summary>
    public static async Task<IReadOnlyList<AppliedPatch>> ApplyAsync(string directory, IReadOnlyList<PatchFile> patches,
        bool threeWay, PipelineLocation location, CancellationToken ct)
    {
        var applied = new List<AppliedPatch>();
        for (var i = 0; i < patches.Count; i++)
        {
            var patch = patches[i];
            location.Report($"[{i + 1}/{patches.Count}] applying {patch.FileName}");
            List<string> args = ["am", "-q", "--keep-cr", "--committer-date-is-author-date", threeWay ? "--3way" : "--no-3way", patch.Path];
            var result = await Git.TryRunAsync(directory, args, ct);
            if (!result.Succeeded)
                throw await ApplyFailure.DiagnoseAsync(directory, patch, i, patches.Count, result, threeWay, ct);
            var head = (await Git.RunAsync(directory, ["rev-parse", "HEAD"], ct)).Trim();
            applied.Add(new AppliedPatch(patch.FileName, head, patch.Subject, patch.Feature));
        }
        return applied;
    }
}
