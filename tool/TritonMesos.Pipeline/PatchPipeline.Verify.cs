namespace TritonMesos.Pipeline;

public sealed partial class PatchPipeline
{
    /// <summary>
    /// Checks <c>patches/</c> as CI does: headers valid, series and files agree, and applying then re-exporting the series
    /// reproduces every file byte for byte. Differences come back as unified diffs; corrected files are written to
    /// <see cref="VerifyOptions.FixedPatchesDir"/>. Without an upstream, only headers and series are checked (listed in NotChecked).
    /// </summary>
    public async Task<VerifyResult> VerifyAsync(VerifyOptions options, CancellationToken cancellationToken = default)
    {
        var location = options.Location;
        var problems = new List<TritonMesosException>();
        var notChecked = new List<string>();
        PatchSeries series;
        try
        {
            series = PatchSeries.Load(location.PatchesDir, requireFiles: false);
        }
        catch (TritonMesosException e)
        {
            return new VerifyResult([e], [], ["patch headers and re-export (no readable series)"], null);
        }
        var patches = new List<PatchFile>();
        foreach (var entry in series.Entries)
        {
            var path = Path.Combine(series.Directory, entry.FileName);
            if (!File.Exists(path))
            {
                problems.Add(new TritonMesosException($"series entry '{entry.FileName}' has no file in patches/", series.SeriesPath,
                    entry.Line, "restore the patch file or remove the line from the series"));
                continue;
            }
            try
            {
                var patch = PatchFile.Load(path);
                problems.AddRange(patch.ValidateHeaders());
                patches.Add(patch);
            }
            catch (TritonMesosException e)
            {
                problems.Add(e);
            }
        }
        foreach (var unlisted in series.UnlistedPatchFiles())
            problems.Add(new TritonMesosException($"patches/{unlisted} is not listed in the series", series.SeriesPath,
                nextStep: $"add '{unlisted}' to patches/series where it belongs, or delete the file"));
        location.Report($"checked headers of {patches.Count} patches and the series: {problems.Count} problem(s)");

        if (options.HeadersOnly)
            return new VerifyResult(problems, [], ["re-export (headers-only run)"], null);
        if (patches.Count != series.Entries.Count)
            return new VerifyResult(problems, [], ["re-export (the series has unreadable or missing patches)"], null);

        UpstreamLock upstream;
        try
        {
            upstream = UpstreamLock.Load(location.LockPath);
        }
        catch (TritonMesosException e)
        {
            problems.Add(e);
            return new VerifyResult(problems, [], ["re-export (no valid upstream.lock)"], null);
        }
        var cache = new UpstreamCache(location.CachePath);
        try
        {
            await cache.EnsureCommitAsync(upstream, location.UpstreamUrl ?? upstream.Url, location.UpstreamRef ?? upstream.Ref,
                location.LockPath, location, cancellationToken);
        }
        catch (TritonMesosException e) when (e.Data.Contains(UpstreamCache.UnreachableKey))
        {
            var reason = $"re-export: no cached upstream and {e.Message}; pass --upstream-url <local clone> to check it";
            location.Report("not checked: " + reason);
            return new VerifyResult(problems, [], [reason], null);
        }

        var scratch = location.Layout.Scratch("verify-" + Random());
        try
        {
            await ScratchTree.CreateAsync(cache, upstream.Commit, scratch, location, cancellationToken);
            try
            {
                await ScratchTree.ApplyAsync(scratch, patches, threeWay: false, location, cancellationToken);
            }
            catch (TritonMesosException e)
            {
                problems.Add(e);
                return new VerifyResult(problems, [], ["re-export (the series does not apply)"], null);
            }
            var formatted = await PatchExporter.FormatAsync(scratch, upstream.Commit, Path.Combine(scratch, ".git", "export"),
                cancellationToken);
            var plan = PlanFor(series, null, formatted);
            var differences = await CompareAsync(plan, series, location, cancellationToken);
            string? fixedDir = null;
            if (differences.Count > 0)
            {
                fixedDir = location.Layout.Resolve(options.FixedPatchesDir);
                DeleteDirectory(fixedDir);
                Write(plan, fixedDir, removeFrom: null, []);
                location.Report($"{differences.Count} file(s) differ from a re-export; corrected files: {Relative(location, fixedDir)}");
            }
            else
            {
                location.Report($"re-export of {plan.Patches.Count} patches is byte-identical to patches/");
            }
            return new VerifyResult(problems, differences, notChecked, fixedDir);
        }
        finally
        {
            DeleteDirectory(scratch);
        }
    }

    private static async Task<IReadOnlyList<PatchDifference>> CompareAsync(ExportPlan plan, PatchSeries series,
        PipelineLocation location, CancellationToken ct)
    {
        var differences = new List<PatchDifference>();
        var expected = plan.Patches.Select(p => (p.Name, p.Bytes)).Append((PatchSeries.FileName, plan.Series));
        var temporary = location.Layout.Scratch("verify-diff-" + Random());
        Directory.CreateDirectory(temporary);
        try
        {
            foreach (var (name, bytes) in expected)
            {
                var onDisk = Path.Combine(series.Directory, name);
                if (File.Exists(onDisk) && File.ReadAllBytes(onDisk).AsSpan().SequenceEqual(bytes))
                    continue;
                var fresh = Path.Combine(temporary, name);
                File.WriteAllBytes(fresh, bytes);
                var diff = await Git.TryRunAsync(location.RepositoryRoot,
                    ["diff", "--no-index", "--no-color", "--", File.Exists(onDisk) ? Relative(location, onDisk) : "/dev/null",
                     Relative(location, fresh)], ct);
                var text = diff.StandardOutput.Replace(Relative(location, temporary), "re-export");
                differences.Add(new PatchDifference(name, text, MissingOnDisk: !File.Exists(onDisk), ExtraOnDisk: false));
            }
            foreach (var removed in plan.Removed)
                differences.Add(new PatchDifference(removed, $"patches/{removed} has no commit in the re-export", false, true));
        }
        finally
        {
            DeleteDirectory(temporary);
        }
        return differences;
    }
}
