namespace TritonMesos.Report.Tests;

/// <summary>
/// The repository's own series on a real Apache Mesos clone (TRITON_MESOS_UPSTREAM_CLONE: a local clone with tags):
/// the outputs of an uncached run, of a run that fills the caches, of a run from the outcome cache and of a run that
/// copies the last run's outputs are byte-identical.
/// </summary>
public sealed class RealCloneTests : IDisposable
{
    private const string CloneVariable = "TRITON_MESOS_UPSTREAM_CLONE";
    private readonly string _directory = Directory.CreateTempSubdirectory("tm-report-real-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(source)!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "triton-mesos.sln")))
                return dir.FullName;
        throw new InvalidOperationException("repository root not found above " + source);
    }

    [SkippableFact]
    public async Task Uncached_filling_outcome_cached_and_copied_runs_write_the_same_bytes()
    {
        var clone = Environment.GetEnvironmentVariable(CloneVariable);
        Skip.If(string.IsNullOrEmpty(clone) || !Directory.Exists(clone),
            $"{CloneVariable} is not set to a local Apache Mesos clone with tags (e.g. the one given to ./build.sh --upstream-url)");
        // A scratch project: this checkout's series and lock, caches of its own.
        var project = Path.Combine(_directory, "project");
        Directory.CreateDirectory(Path.Combine(project, "patches"));
        var root = RepositoryRoot();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "patches")))
            File.Copy(file, Path.Combine(project, "patches", Path.GetFileName(file)));
        File.Copy(Path.Combine(root, UpstreamLock.FileName), Path.Combine(project, UpstreamLock.FileName));

        async Task<Dictionary<string, byte[]>> Run(string name, bool useCache)
        {
            var output = Path.Combine(_directory, name);
            await UpstreamReport.GenerateAsync(new ReportOptions().WithRootDirectory(project).WithUpstreamPath(clone)
                .WithRefs(["1.0.0", "1.5.0", "1.10.0", "1.11.0", "master"]).WithOutputDirectory(output).WithUseCache(useCache));
            return Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(output, f), File.ReadAllBytes);
        }

        var uncached = await Run("uncached", useCache: false);
        var filling = await Run("filling", useCache: true);
        var copied = await Run("copied", useCache: true);
        Directory.Delete(Path.Combine(project, ".work", "cache", "report", Cache.ResultCache.DirectoryName), recursive: true);
        var fromOutcomes = await Run("outcomes", useCache: true);

        Assert.Contains("report.json", uncached.Keys);
        Assert.Contains(uncached.Keys, k => k.StartsWith("submit", StringComparison.Ordinal) && k.EndsWith(".patch", StringComparison.Ordinal));
        foreach (var other in new[] { filling, copied, fromOutcomes })
        {
            Assert.Equal(uncached.Keys.Order(), other.Keys.Order());
            foreach (var (file, bytes) in uncached)
                Assert.True(bytes.AsSpan().SequenceEqual(other[file]), file);
        }
    }
}
