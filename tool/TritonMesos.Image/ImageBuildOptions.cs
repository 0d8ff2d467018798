namespace TritonMesos.Image;

/// <summary>Parameters of the Build target (<c>triton-mesos build-image</c>); <c>Features</c> names the tree's features when it is not the whole series (its labels).</summary>
public sealed record ImageBuildOptions(string RepositoryRoot)
{
    /// <summary>The patched tree; null is <see cref="RepositoryLayout.WorkTree"/>.</summary>
    public string? MesosTree { get; init; }

    /// <summary>The base image (Debian bookworm).</summary>
    public string BaseImage { get; init; } = BaseImageOptions.DefaultTag;

    /// <summary>The engine to build with; null is DOCKER_HOST.</summary>
    public string? DockerHost { get; init; }

    /// <summary>Build without the layer cache (ccache still applies).</summary>
    public bool NoCache { get; init; }

    /// <summary>The image tag; null is <c>triton-mesos-agent:&lt;mesos-version&gt;-&lt;series-hash&gt;</c>.</summary>
    public string? Tag { get; init; }

    /// <summary>The build context and package cache; null is <see cref="ResolvedCacheDirectory"/>'s default.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>The docker CLI (Debian's, with BuildKit built in).</summary>
    public string DockerCli { get; init; } = DockerBuildRequest.DebianDockerCli;

    /// <summary>The flag catalog to ship; null extracts it from the tree.</summary>
    public string? FlagCatalogPath { get; init; }

    /// <summary>The Dockerfile stage to stop at; null builds the agent image.</summary>
    public string? Target { get; init; }

    /// <summary>Build arguments beyond the base image and the metadata's.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? ExtraBuildArgs { get; init; }

    /// <summary>The tree's features when it is not the whole series.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>The patched tree: <see cref="RepositoryLayout.WorkTree"/> (written by <c>triton-mesos apply</c>) unless given.</summary>
    public string ResolvedMesosTree => MesosTree ?? new RepositoryLayout(RepositoryRoot).WorkTree;

    /// <summary>DOCKER_HOST unless given.</summary>
    public string? ResolvedDockerHost => DockerHost ?? Environment.GetEnvironmentVariable("DOCKER_HOST");

    /// <summary>Where the build context and fetched packages live: outside the repository, so they survive and do not pollute it.</summary>
    public string ResolvedCacheDirectory => CacheDirectory ?? Path.Combine(
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
        "triton-mesos", "image");

    public ImageBuildOptions WithMesosTree(string? tree) => this with { MesosTree = tree };
    public ImageBuildOptions WithBaseImage(string image) => this with { BaseImage = image };
    public ImageBuildOptions WithDockerHost(string? host) => this with { DockerHost = host };
    public ImageBuildOptions WithNoCache(bool noCache) => this with { NoCache = noCache };
    public ImageBuildOptions WithTag(string? tag) => this with { Tag = tag };
    public ImageBuildOptions WithCacheDirectory(string? directory) => this with { CacheDirectory = directory };
    public ImageBuildOptions WithFlagCatalog(string? path) => this with { FlagCatalogPath = path };
    public ImageBuildOptions WithTarget(string? target) => this with { Target = target };
    public ImageBuildOptions WithFeatures(IReadOnlyList<string>? features) => this with { Features = features };
    public ImageBuildOptions WithBuildArg(string name, string value) => this with { ExtraBuildArgs = [.. ExtraBuildArgs ?? [], new(name, value)] };
}
