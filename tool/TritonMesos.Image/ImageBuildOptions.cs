namespace TritonMesos.Image;

/// <summary>Parameters of the Build target (<c>triton-mesos build-image</c>); <c>Features</c> names the tree's features when it is not the whole series (its labels).</summary>
public sealed record ImageBuildOptions(
    string RepositoryRoot,
    string? MesosTree = null,
    string BaseImage = BaseImageOptions.DefaultTag,
    string? DockerHost = null,
    bool NoCache = false,
    string? Tag = null,
    string? CacheDirectory = null,
    string DockerCli = DockerBuildRequest.DebianDockerCli,
    string? FlagCatalogPath = null,
    string? Target = null,
    IReadOnlyList<KeyValuePair<string, string>>? ExtraBuildArgs = null,
    IReadOnlyList<string>? Features = null)
{
    /// <summary>The patched tree: <c>.work/mesos</c> (written by <c>triton-mesos apply</c>) unless given.</summary>
    public string ResolvedMesosTree => MesosTree ?? Path.Combine(RepositoryRoot, ".work", "mesos");

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
