using System.Diagnostics;

namespace TritonMesos.Image;

/// <summary>The agent image that was built: tag, id, metadata (labels), size and timing.</summary>
public sealed record AgentImageResult(string Tag, string ImageId, ImageMetadata Metadata, long SizeBytes, TimeSpan Elapsed,
    DockerBuildResult Build, IReadOnlyList<string> ProfileWarnings);

/// <summary>
/// The Build target: stages a build context outside the repository (Dockerfile.slave, the patched tree without .git, the
/// .deb files, the published entrypoint, the flag catalog and the profiles) and builds it with BuildKit.
/// </summary>
public static class AgentImageBuilder
{
    /// <summary>The Dockerfile, relative to the repository root.</summary>
    public const string DockerfileName = "Dockerfile.slave";

    /// <summary>The scripts Dockerfile.slave copies from the context's <c>scripts/</c> (the repository keeps them next to this code).</summary>
    public static readonly IReadOnlyList<string> BuildScripts = ["tool/TritonMesos.Image/Scripts/tracked-make.sh"];

    /// <summary>Builds the agent image; progress goes to <paramref name="onEvent"/> and <paramref name="log"/>.</summary>
    public static async Task<AgentImageResult> BuildAsync(ImageBuildOptions options, Action<BuildEvent>? onEvent = null,
        Action<string>? log = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var root = Path.GetFullPath(options.RepositoryRoot);
        var tree = Path.GetFullPath(options.ResolvedMesosTree);
        if (!File.Exists(Path.Combine(tree, "configure.ac")))
            throw new TritonMesosException("patched Mesos tree not found (no configure.ac)", tree,
                nextStep: "run `./build.sh Patch` first (it writes .work/mesos), or pass --mesos-tree");
        var metadata = ImageMetadata.FromRepository(root, tree);
        var context = Path.Combine(options.ResolvedCacheDirectory, "context");
        Directory.CreateDirectory(context);
        log?.Invoke($"build context: {context}");

        File.Copy(Path.Combine(root, DockerfileName), Path.Combine(context, "Dockerfile"), overwrite: true);
        Directory.CreateDirectory(Path.Combine(context, "scripts"));
        foreach (var script in BuildScripts)
            File.Copy(Path.Combine(root, script), Path.Combine(context, "scripts", Path.GetFileName(script)), overwrite: true);
        await DebFetcher.FetchAsync(options.BaseImage, Path.Combine(context, "debs"), options.ResolvedDockerHost, options.DockerCli, log, ct);

        var (copied, deleted) = DirectorySync.Mirror(tree, Path.Combine(context, "mesos"));
        log?.Invoke($"staged the Mesos tree without .git ({copied} files changed, {deleted} removed)");

        var imageDir = Path.Combine(context, "image");
        var warnings = await StageImageFilesAsync(root, tree, imageDir, Path.Combine(options.ResolvedCacheDirectory, "entrypoint-build"),
            options.FlagCatalogPath, log, ct);
        foreach (var w in warnings)
            log?.Invoke("warning: " + w);

        var request = new DockerBuildRequest(context, Path.Combine(context, "Dockerfile"), options.Tag ?? metadata.Tag,
            [new("BASE_IMAGE", options.BaseImage), .. metadata.BuildArgs, .. options.ExtraBuildArgs ?? []], Labels(metadata, options.Target), options.ResolvedDockerHost,
            options.NoCache, options.Target, options.DockerCli);
        log?.Invoke($"DOCKER_BUILDKIT=1 {options.DockerCli} {string.Join(' ', request.Arguments())}");
        var build = await DockerImageBuild.RunAsync(request, onEvent, null, ct);
        return new AgentImageResult(build.Tag, build.ImageId, metadata, build.SizeBytes, clock.Elapsed, build, warnings);
    }

    /// <summary>The agent image's labels; an image of another stage (mesos-tests) gets its own title, so it is never taken for the agent.</summary>
    private static IReadOnlyList<KeyValuePair<string, string>> Labels(ImageMetadata metadata, string? target) =>
        target is null or "runtime" ? metadata.Labels
            : metadata.Labels.Select(l => l.Key == "org.opencontainers.image.title"
                ? new(l.Key, target == MesosTestOptions.Stage ? MesosTestOptions.Repository : $"{ImageMetadata.Repository}-{target}") : l).ToList();

    /// <summary>
    /// Writes <c>image/</c>: the entrypoint, <c>flag-catalog.json</c> (given, or extracted from the tree) and every profile,
    /// each rendered against that catalog; profiles that would not start on this image come back as warnings.
    /// </summary>
    public static async Task<IReadOnlyList<string>> StageImageFilesAsync(string repositoryRoot, string tree, string imageDir,
        string artifactsDirectory, string? catalogPath, Action<string>? log, CancellationToken ct)
    {
        Directory.CreateDirectory(imageDir);
        await EntrypointPublisher.PublishAsync(repositoryRoot, imageDir, artifactsDirectory, log, ct);
        var catalog = catalogPath is not null ? FlagCatalog.Load(catalogPath) : FlagCatalog.Extract(tree);
        var shippedCatalog = Path.Combine(imageDir, FlagCatalog.FileName);
        catalog.Save(shippedCatalog);
        log?.Invoke($"flag catalog: {catalog.Agent.Count} agent and {catalog.Master.Count} master flags");

        var profilesOut = Path.Combine(imageDir, Profile.DirectoryName);
        if (Directory.Exists(profilesOut))
            Directory.Delete(profilesOut, recursive: true);
        Directory.CreateDirectory(profilesOut);
        var warnings = new List<string>();
        var renderer = new FlagRenderer(catalog, shippedCatalog);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(repositoryRoot, Profile.DirectoryName), "*.json").Order(StringComparer.Ordinal))
        {
            File.Copy(file, Path.Combine(profilesOut, Path.GetFileName(file)));
            try
            {
                // Placeholders are checked with dummy values: only names and types matter here.
                var env = new DummyEnvironment();
                renderer.Render(Profile.Load(file), [], env, environmentOverrides: false);
            }
            catch (TritonMesosException e)
            {
                warnings.Add($"profile {Path.GetFileName(file)} will not start on this image: {e.Render()}");
            }
        }
        return warnings;
    }

    /// <summary>An environment in which every variable is set (to a value that passes type checks only where types are free).</summary>
    private sealed class DummyEnvironment : IReadOnlyDictionary<string, string>
    {
        public string this[string key] => "1";
        public IEnumerable<string> Keys => [];
        public IEnumerable<string> Values => [];
        public int Count => 0;
        public bool ContainsKey(string key) => true;
        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Enumerable.Empty<KeyValuePair<string, string>>().GetEnumerator();
        public bool TryGetValue(string key, out string value)
        {
            value = "1";
            return true;
        }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
