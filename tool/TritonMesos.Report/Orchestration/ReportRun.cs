using System.Diagnostics;
using TritonMesos.Report.Cache;
using TritonMesos.Report.Diffs;
using TritonMesos.Report.Git;

namespace TritonMesos.Report;

// One report computation: the series on every chosen ref in memory (libgit2 trees and blobs, hunks applied by
// PatchApplier), the history look-ups, the feature claims and the ready-to-send patches; or, when the inputs equal the
// last run's, that run's outputs copied (ResultCache).
/// <summary>One report computation: the matrix, history, feature claims and ready-to-send patches, or the last run's outputs copied.</summary>
internal static class ReportRun
{
    /// <summary>The oldest release the default ref set starts from.</summary>
    private static readonly Version DefaultOldestRelease = new(1, 0, 0);

    /// <summary>What a run produced: the data and the ready-to-send patches, or (<see cref="Copied"/>) the outputs of an earlier run with the same inputs.</summary>
    public sealed record Outcome(UpstreamReportData? Data, IReadOnlyList<Submission> Submissions, string? Key, (IReadOnlyList<string> Files, IReadOnlyList<string> Summary)? Copied);

    /// <summary>Computes the report, or copies the last run's outputs into <c>results.Output</c> when its key matches.</summary>
    public static async Task<Outcome> RunAsync(ReportOptions options, (ResultCache Cache, string Output)? results, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var processor = Process.GetCurrentProcess().TotalProcessorTime;
        var progress = options.Progress;
        var series = PatchSeries.Load(options.Patches);
        var lockFile = UpstreamLock.Load(options.Lock);
        var upstreamPath = UpstreamLocator.Locate(options.RootDirectory, options.UpstreamPath);
        using var repository = UpstreamRepository.Open(upstreamPath);
        var refs = ResolveRefs(repository, options.Refs, upstreamPath);
        progress?.Report($"report: {series.Entries.Count} patches × {refs.Count} refs ({refs[0].Name} … {refs[^1].Name}) from {upstreamPath}");
        var mainBranch = repository.MainBranch();
        string? key = null;
        if (results is var (resultCache, output))
        {
            key = ResultCache.Key(options.Patches, options.Lock, refs, mainBranch is null ? null : repository.Resolve(mainBranch));
            if (resultCache.CopyTo(key, output) is { } copied)
            {
                progress?.Report($"report: tool, series, lock and ref commits unchanged since the last run: its outputs copied ({clock.Elapsed.TotalSeconds:0.00} s)");
                return new Outcome(null, [], key, copied);
            }
        }
        var patches = series.LoadPatches().Select(PreparedPatch.From).ToList();
        var features = FeatureList.Load(options.Patches);

        // History look-ups run in git processes while the matrix is computed in memory.
        var finder = new PatchHistoryFinder(upstreamPath, options.Cache);
        var tips = refs.Select(r => r.Commit).Distinct().ToList();
        var queries = patches.Select(HistoryQuery.Of).ToList();
        var histories = Task.Run(() => finder.FindAsync(queries, tips, cancellationToken), cancellationToken);

        // Outcomes of earlier runs (content-addressed: a changed patch or ref simply misses); --no-cache leaves them alone.
        void Warn(string line) => progress?.Report(line);
        var cache = options.Cache is { } cacheDirectory ? OutcomeCache.Load(cacheDirectory, Warn) : OutcomeCache.InMemory();
        repository.RememberAncestryIn(cache);

        // Later patches are made on top of earlier ones: their preimage blobs exist only as results of the series on the lock.
        // Computed only when a 3-way merge from such a preimage needs it (never on a warm run: those outcomes are cached).
        var seriesBlobs = new Lazy<Dictionary<string, TextFile>>(() => SeriesBlobs(patches, repository, lockFile.Commit));
        TextFile? ReadBlob(string id) => repository.ReadBlob(id) ?? FindSeriesBlob(seriesBlobs.Value, id);
        var flagCommits = refs.Select(r => r.Commit).Concat(repository.Resolve(lockFile.Commit) is not null ? [lockFile.Commit] : []).Distinct().ToList();
        // Every tree entry the matrix and the flags look up, in one batch; and the blobs it would read, should it read any.
        var paths = patches.SelectMany(p => p.Files).Where(f => !f.IsBinary).SelectMany(f => new[] { f.OldPath, f.NewPath }).Concat(FeatureClaims.FlagFiles).Distinct().ToList();
        repository.FindEntries(flagCommits, paths);
        repository.ReadAheadOnFirstRead(BlobsToRead(patches, refs, repository));
        // The flags each ref defines, for the feature claims, are read meanwhile (cached by the blob ids of the flags files).
        var upstreamFlags = Task.Factory.StartNew(() => flagCommits.ToDictionary(c => c, c => FeatureClaims.UpstreamFlags(repository, c, cache)),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        // Refs are independent: they run in parallel; applications with the same inputs are computed once (ApplicationMemo).
        var memo = new ApplicationMemo(cache);
        var rows = new IReadOnlyList<(CellOutcome Cumulative, CellOutcome Alone)>[refs.Count];
        var progressGate = new Lock();
        try
        {
            Parallel.For(0, refs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, r =>
            {
                rows[r] = MatrixRow(patches, refs[r], repository, memo, ReadBlob);
                var line = string.Join(", ", rows[r].Select((cell, p) => $"{PatchReport.NumberOf(patches[p].File.FileName)} {cell.Cumulative.Result.Status.Short()}"));
                lock (progressGate)
                    progress?.Report($"[{r + 1}/{refs.Count}] {refs[r].Name}: {line}");
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        var cells = patches.Select((_, p) => rows.Select(row => (row[p].Cumulative.Result, Alone: row[p].Alone.Result)).ToList()).ToList();
        var aloneOutcomes = patches.Select((_, p) => rows.Select(row => row[p].Alone).ToList()).ToList();

        var matrixTime = clock.Elapsed;
        var matrixCpu = Process.GetCurrentProcess().TotalProcessorTime - processor;
        progress?.Report("report: searching upstream history for the patches (git patch-id, cached)…");
        var patchReports = new List<PatchReport>();
        var found = await histories;
        for (var p = 0; p < patches.Count; p++)
        {
            var history = found[p];
            // Attributing an already-upstream patch by content needs every diff on its files: searched only for a patch some ref has.
            if (cells[p].Any(c => c.Result.Status == ApplyStatus.AlreadyUpstream || c.Alone.Status == ApplyStatus.AlreadyUpstream))
                history = await finder.WithByContentAsync(queries[p], tips, history, cancellationToken);
            var patchCells = refs.Select((r, i) => new PatchCell(r.Name,
                WithHistory(cells[p][i].Result, history, r, repository),
                WithHistory(cells[p][i].Alone, history, r, repository))).ToList();
            patchReports.Add(Describe(patches[p], history, patchCells));
        }

        var historyTime = clock.Elapsed;
        var featureReports = FeatureClaims.Evaluate(features, patches, patchReports, refs, await upstreamFlags, lockFile.Commit, repository);
        var featureTime = clock.Elapsed;
        var submissions = SubmitPatches.Build(patchReports, patches, aloneOutcomes, refs, repository, cache, upstreamMain: mainBranch);
        cache.Save(Warn);
        patchReports = patchReports.Select((p, i) => p.WithSubmit(submissions[i].Info)).ToList();
        progress?.Report($"report: computed in {clock.Elapsed.TotalSeconds:0.00} s (matrix {matrixTime.TotalSeconds:0.00} s, " +
                         $"history {(historyTime - matrixTime).TotalSeconds:0.00} s, features {(featureTime - historyTime).TotalSeconds:0.00} s, " +
                         $"submit {(clock.Elapsed - featureTime).TotalSeconds:0.00} s; {memo.Computed} of {memo.Requested} patch applications computed, " +
                         $"{memo.FromCache} from the outcome cache, the rest reused; {repository.BlobsRead} blobs read; " +
                         $"CPU {(Process.GetCurrentProcess().TotalProcessorTime - processor).TotalSeconds:0.00} s in this process, matrix {matrixCpu.TotalSeconds:0.00} s)");
        var data = new UpstreamReportData(UpstreamReportData.SchemaId, new LockInfo(lockFile.Url, lockFile.Ref, lockFile.Commit),
            refs, patchReports, featureReports);
        return new Outcome(data, submissions, key, null);
    }

    /// <summary>Every patch on one ref, in series order (on top of the earlier ones) and alone.</summary>
    private static IReadOnlyList<(CellOutcome Cumulative, CellOutcome Alone)> MatrixRow(IReadOnlyList<PreparedPatch> patches, RefInfo gitRef,
        UpstreamRepository repository, ApplicationMemo memo, Func<string, TextFile?> readBlob)
    {
        TextFile? Pristine(string path) => repository.ReadFile(gitRef.Commit, path);
        string PristineId(string path) => repository.BlobId(gitRef.Commit, path) ?? "-";
        bool PristinePresent(string path) => repository.IsReadable(gitRef.Commit, path);
        // The files the earlier patches changed; each application sees a snapshot, as a cached outcome may rebuild its texts later.
        var overlay = new Dictionary<string, CellChange>(StringComparer.Ordinal);
        var row = new List<(CellOutcome, CellOutcome)>();
        for (var p = 0; p < patches.Count; p++)
        {
            var alone = memo.Apply(patches[p], PristineId, Pristine, readBlob, PristinePresent);
            // Untouched by the earlier patches, the stacked tree equals the pristine one for this patch.
            var cumulative = alone;
            if (patches[p].Files.Any(f => overlay.ContainsKey(f.OldPath) || overlay.ContainsKey(f.NewPath)))
            {
                var stacked = new Dictionary<string, CellChange>(overlay, StringComparer.Ordinal);
                cumulative = memo.Apply(patches[p],
                    path => stacked.TryGetValue(path, out var change) ? change.AfterId : PristineId(path),
                    path => stacked.TryGetValue(path, out var change) ? change.After : Pristine(path),
                    readBlob,
                    path => stacked.TryGetValue(path, out var change) ? change.AfterId != "-" : PristinePresent(path));
            }
            foreach (var change in cumulative.Changes)
                overlay[change.Path] = change;
            row.Add((cumulative, alone));
        }
        return row;
    }

    /// <summary>The blobs the matrix reads when nothing is cached, ref by ref: the files of each patch that is not plainly not applicable there, and the flags files.</summary>
    private static IReadOnlyList<string> BlobsToRead(IReadOnlyList<PreparedPatch> patches, IReadOnlyList<RefInfo> refs, UpstreamRepository repository) =>
        refs.SelectMany(r => patches
                .Select(p => p.Files.Where(f => !f.IsBinary).ToList())
                .Where(files => files.All(f => f.IsNewFile || f.IsDeletedFile || f.OldPath != f.NewPath || repository.IsReadable(r.Commit, f.Path)))
                .SelectMany(files => files.Select(f => f.Path))
                .Concat(FeatureClaims.FlagFiles)
                .Where(path => repository.IsReadable(r.Commit, path))
                .Select(path => repository.BlobId(r.Commit, path)!))
            .Distinct()
            .ToList();

    /// <summary>Every file text the series produces on <paramref name="lockCommit"/>, by git blob id.</summary>
    private static Dictionary<string, TextFile> SeriesBlobs(IReadOnlyList<PreparedPatch> patches, UpstreamRepository repository, string lockCommit)
    {
        var blobs = new Dictionary<string, TextFile>(StringComparer.Ordinal);
        if (repository.Resolve(lockCommit) is null)
            return blobs;
        var overlay = new Dictionary<string, TextFile?>(StringComparer.Ordinal);
        TextFile? Stacked(string path) => overlay.TryGetValue(path, out var text) ? text : repository.ReadFile(lockCommit, path);
        foreach (var patch in patches)
        {
            var application = PatchApplier.Apply(patch, Stacked, id => repository.ReadBlob(id) ?? FindSeriesBlob(blobs, id));
            foreach (var change in application.Changes)
            {
                overlay[change.Path] = change.After;
                if (change.After is not null)
                    blobs[DiffWriter.BlobId(change.After)] = change.After;
            }
        }
        return blobs;
    }

    private static TextFile? FindSeriesBlob(Dictionary<string, TextFile> blobs, string id)
    {
        if (blobs.TryGetValue(id, out var text))
            return text;
        return id.Length < 40 ? blobs.FirstOrDefault(b => b.Key.StartsWith(id, StringComparison.Ordinal)).Value : null;
    }

    /// <summary>The refs to report on: the requested ones, or every final release from 1.0.0 plus the main branch.</summary>
    private static IReadOnlyList<RefInfo> ResolveRefs(UpstreamRepository repository, IReadOnlyList<string>? requested, string upstreamPath)
    {
        var names = requested is { Count: > 0 }
            ? requested
            : [.. repository.ReleaseTags(DefaultOldestRelease), .. repository.MainBranch() is { } main ? [main] : Array.Empty<string>()];
        if (names.Count == 0)
            throw ReportErrors.NoRefs(upstreamPath, DefaultOldestRelease);
        var unknown = names.Where(n => repository.Resolve(n) is null).ToList();
        if (unknown.Count > 0)
            throw ReportErrors.UnknownRefs(unknown, upstreamPath);
        return names.Select(n => repository.Resolve(n)!).ToList();
    }

    private static ApplyResult WithHistory(ApplyResult result, PatchHistory history, RefInfo gitRef, UpstreamRepository repository)
    {
        // A patch that still applies forward is not upstream, whatever history says (it may have been reverted).
        if (result.Status.Applies())
            return result;
        var samePatchId = history.SamePatchId.FirstOrDefault(c => repository.IsAncestor(c, gitRef.Commit));
        if (samePatchId is not null)
            return result with
            {
                Status = ApplyStatus.AlreadyUpstream,
                Conflicts = result.Status == ApplyStatus.AlreadyUpstream ? result.Conflicts : [],
                UpstreamCommit = new UpstreamCommit(samePatchId, repository.Subject(samePatchId), "patch-id"),
            };
        if (result.Status != ApplyStatus.AlreadyUpstream)
            return result;
        var byContent = history.ByContent?.FirstOrDefault(c => repository.IsAncestor(c, gitRef.Commit));
        return byContent is null ? result
            : result with { UpstreamCommit = new UpstreamCommit(byContent, repository.Subject(byContent), "content") };
    }

    private static PatchReport Describe(PreparedPatch patch, PatchHistory history, IReadOnlyList<PatchCell> cells)
    {
        var file = patch.File;
        return new PatchReport(file.FileName, file.Subject, file.Feature,
            file.Trailers.Where(t => t.Key == "Runtime-Flag").Select(t => t.Value).ToList(),
            file.Trailer("Upstream-Status"), file.Trailer("Forwarded"), file.Trailer("Last-Update"), history.PatchId,
            patch.Files.Select(f => new FileStat(f.Path, f.Stat.Added, f.Stat.Removed)).ToList(), cells, null);
    }
}
