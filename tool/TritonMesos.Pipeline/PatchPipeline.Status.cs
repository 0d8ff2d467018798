namespace TritonMesos.Pipeline;

public sealed partial class PatchPipeline
{
    /// <summary>What is applied in the work tree, on which commit, and whether it holds work not yet exported.</summary>
    public async Task<StatusResult> StatusAsync(StatusOptions options, CancellationToken cancellationToken = default)
    {
        var location = options.Location;
        var workDir = location.WorkDirPath;
        var upstream = UpstreamLock.Load(location.LockPath);
        if (!Directory.Exists(Path.Combine(workDir, ".git")))
            return new StatusResult(workDir, false, upstream.Commit, null, null, [], [], null, false, false);

        var stamp = ApplyStamp.TryLoad(workDir);
        var head = await Git.TryResolveCommitAsync(workDir, "HEAD", cancellationToken);
        var baseCommit = await Git.TryResolveCommitAsync(workDir, ScratchTree.BaseRef, cancellationToken) ?? upstream.Commit;
        var changes = await UncommittedChangesAsync(workDir, cancellationToken);
        var series = PatchSeries.Load(location.PatchesDir, requireFiles: false);
        var formatted = await PatchExporter.FormatAsync(workDir, baseCommit,
            Path.Combine(workDir, ".git", "triton-mesos-export-" + Random()), cancellationToken);
        var plan = PlanFor(series, stamp, formatted);
        var commits = new List<WorkTreeCommit>();
        for (var i = 0; i < formatted.Count; i++)
        {
            var (name, bytes, commit) = plan.Patches[i];
            var path = Path.Combine(series.Directory, name);
            var state = !File.Exists(path) ? CommitExportState.New
                : File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes) ? CommitExportState.Exported
                : CommitExportState.Changed;
            commits.Add(new WorkTreeCommit(commit, formatted[i].Subject, state == CommitExportState.New ? null : name, state));
        }
        var inputsChanged = true;
        if (stamp is not null)
        {
            try
            {
                inputsChanged = SeriesInputs.Load(location, stamp.Features, stamp.ThreeWay).Hash != stamp.InputsHash;
            }
            catch (TritonMesosException)
            {
                inputsChanged = true;
            }
        }
        return new StatusResult(workDir, true, upstream.Commit, baseCommit, head, commits, changes, stamp?.Features, inputsChanged,
            stamp is not null && head == stamp.Head);
    }
}
