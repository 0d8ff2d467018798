namespace TritonMesos;

/// <summary>
/// Where everything lives in a triton-mesos checkout: the committed inputs (<c>patches/</c>, <c>upstream.lock</c>), the
/// work trees and caches under <c>.work/</c>, and the outputs under <c>artifacts/</c>. The one place these paths are spelled.
/// </summary>
public sealed record RepositoryLayout
{
    /// <summary>The patches directory, relative to the root.</summary>
    public const string PatchesName = "patches";

    /// <summary>The directory of work trees and caches, relative to the root (not committed).</summary>
    public const string WorkName = ".work";

    /// <summary>The patched Mesos tree <c>apply</c> writes, relative to the root.</summary>
    public const string DefaultWorkTree = ".work/mesos";

    /// <summary>The tree with only the build-compat feature that the regression comparison builds, relative to the root.</summary>
    public const string DefaultBaselineTree = ".work/mesos-baseline";

    /// <summary>The flag catalog of the patched tree that <c>Patch</c> writes, relative to the root.</summary>
    public const string DefaultFlagCatalog = ".work/flag-catalog.json";

    /// <summary>The outputs directory, relative to the root (not committed).</summary>
    public const string ArtifactsName = "artifacts";

    /// <summary>A layout rooted at <paramref name="root"/> (made absolute).</summary>
    public RepositoryLayout(string root) => Root = Path.GetFullPath(root);

    /// <summary>The repository root: the directory holding <c>upstream.lock</c> and <c>patches/</c>.</summary>
    public string Root { get; }

    /// <summary>The nearest directory from <paramref name="start"/> upwards that holds <c>upstream.lock</c>, else <paramref name="start"/> itself.</summary>
    public static RepositoryLayout Find(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, UpstreamLock.FileName)))
                return new RepositoryLayout(dir.FullName);
        return new RepositoryLayout(start);
    }

    /// <summary><c>--root</c> when given, else <see cref="Find"/> from the current directory.</summary>
    public static RepositoryLayout FromOption(string? root) =>
        root is not null ? new RepositoryLayout(root) : Find(Directory.GetCurrentDirectory());

    /// <summary><c>patches/</c>.</summary>
    public string Patches => Path.Combine(Root, PatchesName);

    /// <summary><c>patches/series</c>.</summary>
    public string Series => Path.Combine(Patches, PatchSeries.FileName);

    /// <summary><c>upstream.lock</c>.</summary>
    public string Lock => Path.Combine(Root, UpstreamLock.FileName);

    /// <summary><c>.work/</c>.</summary>
    public string Work => Path.Combine(Root, WorkName);

    /// <summary><c>.work/mesos</c>: the patched tree.</summary>
    public string WorkTree => Resolve(DefaultWorkTree);

    /// <summary><c>.work/mesos-baseline</c>: the regression comparison's baseline tree.</summary>
    public string BaselineTree => Resolve(DefaultBaselineTree);

    /// <summary><c>.work/flag-catalog.json</c>.</summary>
    public string FlagCatalog => Resolve(DefaultFlagCatalog);

    /// <summary><c>.work/update</c>: the scratch clone of an upstream update in progress.</summary>
    public string UpdateScratch => Path.Combine(Work, "update");

    /// <summary><c>.work/&lt;name&gt;</c>: a scratch directory of one run (verify's clone, its diffs).</summary>
    public string Scratch(string name) => Path.Combine(Work, name);

    /// <summary><c>.work/cache/report</c>: the report's history and outcome caches.</summary>
    public string ReportCache => Path.Combine(Work, "cache", "report");

    /// <summary>
    /// Where fetched upstream objects are kept, in search order: <c>$XDG_CACHE_HOME/triton-mesos/upstream.git</c> when
    /// XDG_CACHE_HOME is set, then <c>.work/cache/upstream.git</c>.
    /// </summary>
    public IReadOnlyList<string> UpstreamCacheCandidates =>
    [
        .. Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? [Path.Combine(xdg, "triton-mesos", "upstream.git")] : Array.Empty<string>(),
        Path.Combine(Work, "cache", "upstream.git"),
    ];

    /// <summary>The upstream object cache the pipeline fills: the first of <see cref="UpstreamCacheCandidates"/>.</summary>
    public string UpstreamCache => UpstreamCacheCandidates[0];

    /// <summary><c>artifacts/</c>.</summary>
    public string Artifacts => Path.Combine(Root, ArtifactsName);

    /// <summary><c>artifacts/&lt;name&gt;</c>: test-results, e2e-results, report, fixed-patches, mesos-tests, mesos-regression.</summary>
    public string Artifact(string name) => Path.Combine(Artifacts, name);

    /// <summary><paramref name="path"/> made absolute against the root (an absolute path stays as it is).</summary>
    public string Resolve(string path) => Path.GetFullPath(path, Root);

    /// <summary><paramref name="path"/> relative to the root when it is inside it, else unchanged (for messages).</summary>
    public string Relative(string path)
    {
        var relative = Path.GetRelativePath(Root, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
