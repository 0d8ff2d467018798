namespace TritonMesos.Pipeline;

/// <summary>Where the pipeline works: the repository, the work tree, the cache, the upstream and where progress goes.</summary>
public sealed record PipelineLocation
{
    /// <summary>The repository's paths (root, <c>patches/</c>, <c>upstream.lock</c>, <c>.work/</c>, <c>artifacts/</c>).</summary>
    public RepositoryLayout Layout { get; init; }

    /// <summary>The work tree, absolute or relative to the repository root.</summary>
    public string WorkDir { get; init; } = RepositoryLayout.DefaultWorkTree;

    /// <summary>The bare cache of upstream objects; null picks <see cref="RepositoryLayout.UpstreamCache"/>.</summary>
    public string? CacheDir { get; init; }

    /// <summary>A URL or local path that replaces the lock's <c>url</c> (offline use, mirrors).</summary>
    public string? UpstreamUrl { get; init; }

    /// <summary>A ref that replaces the lock's <c>ref</c>; it must still resolve to the lock's commit.</summary>
    public string? UpstreamRef { get; init; }

    /// <summary>Receives one line per step (fetch, each patch, warnings).</summary>
    public IProgress<string>? Progress { get; init; }

    public PipelineLocation(string repositoryRoot) => Layout = new RepositoryLayout(repositoryRoot);

    public PipelineLocation WithWorkDir(string workDir) => this with { WorkDir = workDir };
    public PipelineLocation WithCacheDir(string? cacheDir) => this with { CacheDir = cacheDir };
    public PipelineLocation WithUpstreamUrl(string? upstreamUrl) => this with { UpstreamUrl = upstreamUrl };
    public PipelineLocation WithUpstreamRef(string? upstreamRef) => this with { UpstreamRef = upstreamRef };
    public PipelineLocation WithProgress(IProgress<string>? progress) => this with { Progress = progress };

    /// <summary>The repository root: the directory holding <c>upstream.lock</c> and <c>patches/</c>.</summary>
    public string RepositoryRoot => Layout.Root;

    /// <summary>The work tree as an absolute path.</summary>
    public string WorkDirPath => Layout.Resolve(WorkDir);

    /// <summary>The patches directory.</summary>
    public string PatchesDir => Layout.Patches;

    /// <summary>The lock file.</summary>
    public string LockPath => Layout.Lock;

    /// <summary>The cache as an absolute path.</summary>
    public string CachePath => CacheDir is not null ? Layout.Resolve(CacheDir) : Layout.UpstreamCache;

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

    public ApplyOptions WithFeatures(IReadOnlyList<string>? features) => this with { Features = features };
    public ApplyOptions WithForce(bool force = true) => this with { Force = force };
    public ApplyOptions WithThreeWay(bool threeWay = true) => this with { ThreeWay = threeWay };
}

/// <summary>What <see cref="PatchPipeline.ExportAsync"/> does.</summary>
public sealed record ExportOptions(PipelineLocation Location)
{
    /// <summary>Where to write; null rewrites the repository's <c>patches/</c>.</summary>
    public string? OutputDir { get; init; }

    public ExportOptions WithOutputDir(string? outputDir) => this with { OutputDir = outputDir };
}

/// <summary>What <see cref="PatchPipeline.VerifyAsync"/> does.</summary>
public sealed record VerifyOptions(PipelineLocation Location)
{
    /// <summary>Where corrected files go when a re-export differs; relative to the repository root.</summary>
    public string FixedPatchesDir { get; init; } = Path.Combine(RepositoryLayout.ArtifactsName, "fixed-patches");

    /// <summary>Only check headers and the series (no upstream needed).</summary>
    public bool HeadersOnly { get; init; }

    public VerifyOptions WithFixedPatchesDir(string dir) => this with { FixedPatchesDir = dir };
    public VerifyOptions WithHeadersOnly(bool headersOnly = true) => this with { HeadersOnly = headersOnly };
}

/// <summary>What <see cref="PatchPipeline.StatusAsync"/> looks at.</summary>
public sealed record StatusOptions(PipelineLocation Location);

/// <summary>Writes progress lines to a <see cref="TextWriter"/> synchronously (unlike <see cref="Progress{T}"/>).</summary>
public sealed class TextWriterProgress(TextWriter writer) : IProgress<string>
{
    public void Report(string value)
    {
        lock (writer)
            writer.WriteLine(value);
    }
}
