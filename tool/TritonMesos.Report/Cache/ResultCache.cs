namespace TritonMesos.Report.Cache;

// The outputs of the last report run (report.json, report.md, report.html, submit/), kept with the key of everything
// they are made from: the build of the report code, every file of patches/, upstream.lock, and each reported ref and
// the main branch with the commit it resolves to. Outputs are a function of those (every upstream read is by commit),
// so a run whose key matches copies them instead of computing anything.
/// <summary>The outputs of the last run, kept with the key of everything they are made from; a run with the same key copies them.</summary>
internal sealed class ResultCache(string cacheDirectory)
{
    /// <summary>The directory of the kept outputs inside the cache directory.</summary>
    public const string DirectoryName = "last-report";

    private const string KeyFile = "key";

    /// <summary>The run's summary lines (one per patch), kept next to the outputs and not copied.</summary>
    private const string SummaryFile = "summary";

    private string Kept => Path.Combine(cacheDirectory, DirectoryName);

    /// <summary>The key of a run over <paramref name="refs"/> with the series in <paramref name="patchesDirectory"/>.</summary>
    public static string Key(string patchesDirectory, string lockPath, IReadOnlyList<RefInfo> refs, RefInfo? mainBranch) =>
        OutcomeCache.Hash(OutcomeCache.Key([
            "report-result", OutcomeCache.ToolVersion,
            .. Directory.EnumerateFiles(patchesDirectory).Order(StringComparer.Ordinal)
                .SelectMany(f => new[] { Path.GetFileName(f), OutcomeCache.Hash(File.ReadAllText(f)) }),
            "lock", File.ReadAllText(lockPath),
            .. refs.Select(r => $"{r.Name} {r.Commit} {r.Date}"),
            "main", mainBranch is null ? "-" : $"{mainBranch.Name} {mainBranch.Commit}",
        ]));

    /// <summary>Copies the kept outputs to <paramref name="outputDirectory"/> when they were made from <paramref name="key"/>; returns the files written and the summary lines, or null.</summary>
    public (IReadOnlyList<string> Files, IReadOnlyList<string> Summary)? CopyTo(string key, string outputDirectory)
    {
        try
        {
            var keyFile = Path.Combine(Kept, KeyFile);
            if (!File.Exists(keyFile) || File.ReadAllText(keyFile) != key)
                return null;
            var files = Directory.EnumerateFiles(Kept, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(f) is not (KeyFile or SummaryFile))
                .Select(f => Path.GetRelativePath(Kept, f))
                .Order(StringComparer.Ordinal)
                .ToList();
            ReportFiles.Prepare(outputDirectory);
            var written = new List<string>();
            foreach (var file in files)
            {
                var target = Path.Combine(outputDirectory, file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(Kept, file), target, overwrite: true);
                written.Add(target);
            }
            return (written, File.ReadAllLines(Path.Combine(Kept, SummaryFile)));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Keeps <paramref name="files"/> (inside <paramref name="outputDirectory"/>) and <paramref name="summary"/> as the outputs of <paramref name="key"/>, replacing what was kept.</summary>
    public void Keep(string key, string outputDirectory, IReadOnlyList<string> files, IReadOnlyList<string> summary)
    {
        Directory.CreateDirectory(cacheDirectory);
        var fresh = Path.Combine(cacheDirectory, $"{DirectoryName}.{Environment.ProcessId}.tmp");
        if (Directory.Exists(fresh))
            Directory.Delete(fresh, recursive: true);
        foreach (var file in files)
        {
            var target = Path.Combine(fresh, Path.GetRelativePath(outputDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        File.WriteAllLines(Path.Combine(fresh, SummaryFile), summary);
        // The key last: a half-written copy never matches.
        File.WriteAllText(Path.Combine(fresh, KeyFile), key);
        if (Directory.Exists(Kept))
            Directory.Delete(Kept, recursive: true);
        Directory.Move(fresh, Kept);
    }
}
