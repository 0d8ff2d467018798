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

        // By tag only: other images may carry the same title label (e.g. runtime-stage test images without Mesos).
        var images = await docker.Images.ListImagesAsync(new ImagesListParameters { All = false });
        var candidates = images
            .Where(i => (i.RepoTags ?? []).Any(t => t.StartsWith(Repository + ":", StringComparison.Ordinal)))
            .OrderByDescending(i => i.Created)
            .ToList();
        if (candidates.Count == 0)
            return (null, $"no {Repository}:* image on the engine (build it with `./build.sh Build`, or set {OverrideVariable})");

        var newest = candidates[0];
        var reference = (newest.RepoTags ?? []).First(t => t.StartsWith(Repository + ":", StringComparison.Ordinal));
        return (FromInspect(reference, await docker.Images.InspectImageAsync(newest.ID)), null);
    }

    /// <summary>Why the image cannot serve as agent and master (a binary is missing), or null; runs `test -x` in a throw-away container.</summary>
    public async Task<string?> MissingBinariesAsync(IDockerClient docker, string runLabel, string runId)
    {
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = Id,
            Entrypoint = ["/bin/sh", "-c"],
            Cmd = [string.Join(" && ", Binaries.Select(b => $"test -x {b}"))],
            Labels = new Dictionary<string, string> { [runLabel] = runId },
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        try
        {
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
            var exit = await docker.Containers.WaitContainerAsync(created.ID);
            return exit.StatusCode == 0 ? null : $"{Reference} lacks one of {string.Join(", ", Binaries)}";
        }
        finally
        {
            await docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    /// <summary>What the suite runs from the image.</summary>
    public static readonly IReadOnlyList<string> Binaries =
        ["/usr/local/sbin/mesos-agent", "/usr/local/sbin/mesos-master", "/usr/local/libexec/mesos/mesos-docker-executor", "/usr/bin/docker"];

    private static AgentImage FromInspect(string reference, ImageInspectResponse inspect) =>
        new(reference, inspect.ID, inspect.RepoDigests?.FirstOrDefault(),
            (IReadOnlyDictionary<string, string>?)inspect.Config?.Labels ?? new Dictionary<string, string>());
}
