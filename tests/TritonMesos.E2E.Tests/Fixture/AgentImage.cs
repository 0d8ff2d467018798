using Docker.DotNet;
using Docker.DotNet.Models;

namespace TritonMesos.E2E.Tests.Fixture;

/// <summary>The Mesos agent image built by <c>./build.sh Build</c> (it also carries mesos-master and mesos-execute).</summary>
public sealed record AgentImage(string Reference, string Id, string? Digest, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>Environment variable that names the image to use instead of searching for one.</summary>
    public const string OverrideVariable = "TRITON_MESOS_AGENT_IMAGE";

    /// <summary>The repository part of the tag the Build target gives the image.</summary>
    public const string Repository = "triton-mesos-agent";

    /// <summary>The label the Dockerfile sets on the image.</summary>
    public const string TitleLabel = "org.opencontainers.image.title";

    /// <summary>Short text for reports: reference, id and the series hash label.</summary>
    public string Describe() =>
        $"{Reference} (id {Id[..Math.Min(19, Id.Length)]}, series {Labels.GetValueOrDefault("io.triton-mesos.series-hash", "?")}, features {Labels.GetValueOrDefault("io.triton-mesos.features", "?")})";

    /// <summary>Finds the image (override variable first, then the newest image tagged or labelled triton-mesos-agent), or returns why there is none.</summary>
    public static async Task<(AgentImage? Image, string? Missing)> FindAsync(IDockerClient docker)
    {
        var wanted = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(wanted))
        {
            try
            {
                return (FromInspect(wanted, await docker.Images.InspectImageAsync(wanted)), null);
            }
            catch (DockerImageNotFoundException)
            {
                return (null, $"{OverrideVariable}={wanted} names an image the engine does not have");
            }
        }

        var images = await docker.Images.ListImagesAsync(new ImagesListParameters { All = false });
        var candidates = images
            .Where(i => (i.RepoTags ?? []).Any(t => t.StartsWith(Repository + ":", StringComparison.Ordinal))
                        || (i.Labels is not null && i.Labels.TryGetValue(TitleLabel, out var title) && title == Repository))
            .OrderByDescending(i => i.Created)
            .ToList();
        if (candidates.Count == 0)
            return (null, $"no {Repository}:* image on the engine (build it with `./build.sh Build`, or set {OverrideVariable})");

        var newest = candidates[0];
        var reference = (newest.RepoTags ?? []).FirstOrDefault(t => t.StartsWith(Repository + ":", StringComparison.Ordinal))
                        ?? (newest.RepoTags ?? []).FirstOrDefault(t => t != "<none>:<none>")
                        ?? newest.ID;
        return (FromInspect(reference, await docker.Images.InspectImageAsync(newest.ID)), null);
    }

    private static AgentImage FromInspect(string reference, ImageInspectResponse inspect) =>
        new(reference, inspect.ID, inspect.RepoDigests?.FirstOrDefault(),
            (IReadOnlyDictionary<string, string>?)inspect.Config?.Labels ?? new Dictionary<string, string>());
}
