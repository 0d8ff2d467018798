namespace TritonMesos.Pipeline;

/// <summary>Where the pipeline works: the repository, the work tree, the cache, the upstream and where progress goes.</summary>
public sealed record PipelineLocation
{
    /// <summary>The default work tree, relative to the repository root.</summary>
    public const string DefaultWorkDir = ".work/mesos";

    /// <summary>The repository root: the directory holding <c>upstream.lock</c> and <c>patches/</c>.</summary>
    public string RepositoryRoot { get; init; }

    /// <summary>The work tree, absolute or relative to <see cref="RepositoryRoot"/>.</summary>
    public string WorkDir { get; init; } = DefaultWorkDir;

    /// <summary>The bare cache of upstream objects; null picks <c>$XDG_CACHE_HOME/triton-mesos/upstream.git</c> or <c>.work/cache/upstream.git</c>.</summary>
    public string? CacheDir { get; init; }

    /// <summary>A URL or local path that replaces the lock's <c>url</c> (offline use, mirrors).</summary>
    public string? UpstreamUrl { get; init; }

    /// <summary>A ref that replaces the lock's <c>ref</c>; it must still resolve to the lock's commit.</summary>
    public string? UpstreamRef { get; init; }

    /// <summary>Receives one line per step (fetch, each patch, warnings).</summary>
    public IProgress<string>? Progress { get; init; }

    public PipelineLocation(string repositoryRoot) => RepositoryRoot = Path.GetFullPath(repositoryRoot);

    public PipelineLocation WithWorkDir(string workDir) => this with { WorkDir = workDir };
    public PipelineLocation WithCacheDir(string? cacheDir) => this with { CacheDir = cacheDir };
    public PipelineLocation WithUpstreamUrl(string? upstreamUrl) => this with { UpstreamUrl = upstreamUrl };
    public PipelineLocation WithUpstreamRef(string? upstreamRef) => this with { UpstreamRef = upstreamRef };
    public PipelineLocation WithProgress(IProgress<string>? progress) => this with { Progress = progress };

    /// <summary>The work tree as an absolute path.</summary>
    public string WorkDirPath => Path.GetFullPath(Path.Combine(RepositoryRoot, WorkDir));

    /// <summary>The patches directory.</summary>
    public string PatchesDir => Path.Combine(RepositoryRoot, "patches");

    /// <summary>The lock file.</summary>
    public string LockPath => Path.Combine(RepositoryRoot, UpstreamLock.FileName);

    /// <summary>The cache as an absolute path.</summary>
    public string CachePath => CacheDir is not null
        ? Path.GetFullPath(Path.Combine(RepositoryRoot, CacheDir))
        : System.Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? Path.Combine(xdg, "triton-mesos", "upstream.git")
            : Path.Combine(RepositoryRoot, ".work", "cache", "upstream.git");

    /// <summary>The repository root found by walking up from <paramref name="start"/> to a directory with <c>upstream.lock</c>.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, UpstreamLock.FileName)))
                return dir.FullName;
        return Path.GetFullPath(start);
    }

    internal void Report(string line) => Progress?.Report(line);
}

/// <summary>What <see cref="PatchPipeline.ApplyAsync"/> does.</summary>
public sealed record ApplyOptions(PipelineLocation Location)
{
    /// <summary>Feature ids to apply; null applies the whole series.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>Replace the work tree even if it holds uncommitted changes or commits not exported to <c>patches/</c>.</summary>
    public bool Force { get; init; }

    /// <summary>Let <c>git am --3way</c> resolve patches whose context moved (export afterwards to refresh them).</summary>
    public bool ThreeWay { get; init; }

    public ApplyOptions(string repositoryRoot) : this(new PipelineLocation(repositoryRoot)) { }

    public ApplyOptions WithLocation(PipelineLocation location) => this with { Location = location };
    public ApplyOptions WithWorkDir(string workDir) => this with { Location = Location.WithWorkDir(workDir) };
    public ApplyOptions WithCacheDir(string? cacheDir) => this with { Location = Location.WithCacheDir(cacheDir) };
    public ApplyOptions WithUpstreamUrl(string? url) => this with { Location = Location.WithUpstreamUrl(url) };
    public ApplyOptions WithUpstreamRef(string? @ref) => this with { Location = Location.WithUpstreamRef(@ref) };
    public ApplyOptions WithProgress(IProgress<string>? progress) => this with { Location = Location.WithProgress(progress) };
    public ApplyOptions WithFeatures(IReadOnlyList<string>? features) => this with { Features = features };
    public ApplyOptions WithForce(bool force = true) => this with { Force = force };
    public ApplyOptions WithThreeWay(bool threeWay = true) => this with { ThreeWay = threeWay };
}

/// <summary>What <see cref="PatchPipeline.ExportAsync"/> does.</summary>
public sealed record ExportOptions(PipelineLocation Location)
{
    /// <summary>Where to write; null rewrites the repository's <c>patches/</c>.</summary>
    public string? OutputDir { get; init; }

    public ExportOptions(string repositoryRoot) : this(new PipelineLocation(repositoryRoot)) { }

    public ExportOptions WithLocation(PipelineLocation location) => this with { Location = location };
    public ExportOptions WithWorkDir(string workDir) => this with { Location = Location.WithWorkDir(workDir) };
    public ExportOptions WithProgress(IProgress<string>? progress) => this with { Location = Location.WithProgress(progress) };
    public ExportOptions WithOutputDir(string? outputDir) => this with { OutputDir = outputDir };
}

/// <summary>What <see cref="PatchPipeline.VerifyAsync"/> does.</summary>
public sealed record VerifyOptions(PipelineLocation Location)
{
    /// <summary>Where corrected files go when a re-export differs; relative to the repository root.</summary>
    public string FixedPatchesDir { get; init; } = Path.Combine("artifacts", "fixed-patches");

    /// <summary>Only check headers and the series (no upstream needed).</summary>
    public bool HeadersOnly { get; init; }

    public VerifyOptions(string repositoryRoot) : this(new PipelineLocation(repositoryRoot)) { }

    public VerifyOptions WithLocation(PipelineLocation location) => this with { Location = location };
    public VerifyOptions WithCacheDir(string? cacheDir) => this with { Location = Location.WithCacheDir(cacheDir) };
    public VerifyOptions WithUpstreamUrl(string? url) => this with { Location = Location.WithUpstreamUrl(url) };
    public VerifyOptions WithProgress(IProgress<string>? progress) => this with { Location = Location.WithProgress(progress) };
    public VerifyOptions WithFixedPatchesDir(string dir) => this with { FixedPatchesDir = dir };
    public VerifyOptions WithHeadersOnly(bool headersOnly = true) => this with { HeadersOnly = headersOnly };
}

/// <summary>What <see cref="PatchPipeline.StatusAsync"/> looks at.</summary>
public sealed record StatusOptions(PipelineLocation Location)
{
    public StatusOptions(string repositoryRoot) : this(new PipelineLocation(repositoryRoot)) { }

    public StatusOptions WithLocation(PipelineLocation location) => this with { Location = location };
    public StatusOptions WithWorkDir(string workDir) => this with { Location = Location.WithWorkDir(workDir) };
}

/// <summary>Writes progress lines to a <see cref="TextWriter"/> synchronously (unlike <see cref="Progress{T}"/>).</summary>
public sealed class TextWriterProgress(TextWriter writer) : IProgress<string>
{
    public void Report(string value)
    {
        lock (writer)
            writer.WriteLine(value);
    }
}
