using System.Text;

namespace TritonMesos.Pipeline;

public sealed partial class PatchPipeline
{
    /// <summary>
    /// Regenerates <c>patches/</c> (or <see cref="ExportOptions.OutputDir"/>) from the work tree's commits on top of the
    /// upstream commit: byte-for-byte deterministic, existing file names and series comments kept, unchanged files untouched.
    /// </summary>
    public async Task<ExportResult> ExportAsync(ExportOptions options, CancellationToken cancellationToken = default)
    {
        var location = options.Location;
        var workDir = location.WorkDirPath;
        var shown = Relative(location, workDir);
        if (!Directory.Exists(Path.Combine(workDir, ".git")))
            throw new TritonMesosException($"no work tree at {shown}", workDir, nextStep: "run `triton-mesos apply` first");
        using var workLock = WorkDirLock.Acquire(workDir, "the work tree");
        var upstream = UpstreamLock.Load(location.LockPath);
        var series = PatchSeries.Load(location.PatchesDir, requireFiles: false);
        var stamp = ApplyStamp.TryLoad(workDir);
        var warnings = new List<string>();
        var changes = await UncommittedChangesAsync(workDir, cancellationToken);
        if (changes.Count > 0)
        {
            warnings.Add($"{shown} has {changes.Count} uncommitted change(s) that are not exported; commit them first");
            location.Report("warning: " + warnings[^1]);
        }

        var baseCommit = await Git.TryResolveCommitAsync(workDir, ScratchTree.BaseRef, cancellationToken) ?? upstream.Commit;
        if (baseCommit != upstream.Commit)
            throw new TritonMesosException(
                $"{shown} was applied onto {baseCommit}, but upstream.lock now pins {upstream.Commit}", location.LockPath,
                nextStep: "run `triton-mesos apply` to rebuild the work tree on the locked commit before exporting");
        location.Report($"exporting {shown} ({UpstreamCache.Short(baseCommit)}..HEAD)");
        var formatted = await PatchExporter.FormatAsync(workDir, baseCommit,
            Path.Combine(workDir, ".git", "triton-mesos-export-" + Random()), cancellationToken);
        var plan = PlanFor(series, stamp, formatted);

        var outputDir = options.OutputDir is null ? location.PatchesDir : location.Layout.Resolve(options.OutputDir);
        var result = Write(plan, outputDir, removeFrom: options.OutputDir is null ? location.PatchesDir : null, warnings);
        foreach (var written in result.Written)
            location.Report($"wrote {Relative(location, Path.Combine(outputDir, written))}");
        foreach (var removed in result.Removed)
            location.Report($"removed {Relative(location, Path.Combine(outputDir, removed))} (its commit is gone)");
        if (result.SeriesChanged)
            location.Report($"wrote {Relative(location, Path.Combine(outputDir, PatchSeries.FileName))}");
        location.Report(result.NothingChanged
            ? $"patches are up to date ({plan.Patches.Count} patches)"
            : $"exported {plan.Patches.Count} patches ({result.Written.Count} written, {result.Unchanged.Count} unchanged, {result.Removed.Count} removed)");

        // patches/ now describes HEAD exactly: record that, so the next apply is a no-op instead of a rebuild.
        if (options.OutputDir is null && changes.Count == 0 && stamp is not null)
        {
            var inputs = SeriesInputs.Load(location, stamp.Features, stamp.ThreeWay);
            var head = await Git.TryResolveCommitAsync(workDir, "HEAD", cancellationToken);
            if (head is not null && inputs.Selected.Select(p => p.FileName).SequenceEqual(plan.Patches.Select(p => p.Name)))
                (stamp with { InputsHash = inputs.Hash, Head = head, Applied = plan.Patches.Select(p => p.Name).ToList() }).Save(workDir);
        }
        return result;
    }

    /// <summary>Which series entries the work tree was applied from: the stamp's list, else the whole series.</summary>
    private static ExportPlan PlanFor(PatchSeries series, ApplyStamp? stamp, IReadOnlyList<FormattedPatch> formatted)
    {
        var seriesText = File.Exists(series.SeriesPath) ? File.ReadAllText(series.SeriesPath) : "";
        var applied = stamp?.Applied ?? series.Entries.Select(e => e.FileName).ToList();
        return PatchExporter.Plan(seriesText, series.Entries, applied, name =>
        {
            var path = Path.Combine(series.Directory, name);
            if (!File.Exists(path))
                return null;
            try
            {
                return PatchFile.Load(path).Subject;
            }
            catch (TritonMesosException)
            {
                return null;
            }
        }, formatted);
    }

    private static ExportResult Write(ExportPlan plan, string outputDir, string? removeFrom, List<string> warnings)
    {
        Directory.CreateDirectory(outputDir);
        var written = new List<string>();
        var unchanged = new List<string>();
        foreach (var (name, bytes, _) in plan.Patches)
        {
            var path = Path.Combine(outputDir, name);
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                unchanged.Add(name);
                continue;
            }
            File.WriteAllBytes(path, bytes);
            written.Add(name);
        }
        var removed = new List<string>();
        if (removeFrom is not null)
        {
            foreach (var name in plan.Removed)
            {
                var path = Path.Combine(removeFrom, name);
                if (File.Exists(path))
                {
                    File.Delete(path);
                    removed.Add(name);
                }
            }
        }
        var seriesPath = Path.Combine(outputDir, PatchSeries.FileName);
        var seriesChanged = !File.Exists(seriesPath) || !File.ReadAllBytes(seriesPath).AsSpan().SequenceEqual(plan.Series);
        if (seriesChanged)
            File.WriteAllBytes(seriesPath, plan.Series);
        return new ExportResult(outputDir, written, unchanged, removed, seriesChanged, warnings);
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
