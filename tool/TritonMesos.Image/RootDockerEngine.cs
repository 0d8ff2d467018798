namespace TritonMesos.Image;

/// <summary>
/// The Docker engine that Mesos' <c>ROOT_DOCKER</c> tests run against, checked before anything is built: a local unix
/// socket (the tests bind-mount sandboxes by host path), the images the fixtures use already present (no registry is
/// needed or asked for), and no container named <c>mesos-*</c> on it, because the fixtures' TearDown removes every
/// such container (it would take down a real agent's tasks).
/// </summary>
public static class RootDockerEngine
{
    /// <summary>The images Mesos' Docker test fixtures pull in SetUp or use in the series' ROOT_DOCKER tests.</summary>
    public static readonly IReadOnlyList<string> Images =
        ["alpine:latest", "mesosphere/inky:latest", "mesosphere/alpine-expect:latest", "tnachen/test-executor:latest"];

    /// <summary>The unix socket path of <paramref name="dockerHost"/>, once the engine passes every check.</summary>
    public static async Task<string> CheckAsync(string dockerCli, string? dockerHost, CancellationToken ct = default)
    {
        var host = dockerHost ?? "unix:///var/run/docker.sock";
        if (!host.StartsWith("unix://", StringComparison.Ordinal))
            throw new TritonMesosException($"--root-docker needs a local engine on a unix socket, not '{host}'",
                nextStep: "pass --docker-host unix:///path/to/docker.sock of a dedicated local engine");
        var socket = host["unix://".Length..];
        if (!File.Exists(socket))
            throw new TritonMesosException($"--root-docker: no Docker socket at {socket}", socket,
                nextStep: "start a dockerd for the tests and pass its socket with --docker-host");

        var names = await DockerCommand.For(dockerCli, host, ["ps", "-a", "--filter", "name=^/mesos-", "--format", "{{.Names}}"])
            .WithPurpose("listing the engine's mesos-* containers").RunAsync(ct);
        var mesosContainers = names.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (mesosContainers.Length > 0)
            throw new TritonMesosException(
                $"--root-docker: the engine at {host} has {mesosContainers.Length} container(s) named mesos-* ({string.Join(", ", mesosContainers.Take(5))}); " +
                "Mesos' Docker test fixtures remove every such container when a test ends",
                nextStep: "run the ROOT_DOCKER tests against a dedicated engine (--docker-host), or remove those containers first");

        var missing = await MissingImagesAsync(dockerCli, host, Images, ct);
        if (missing.Count > 0)
            throw new TritonMesosException($"--root-docker: the engine at {host} lacks the test image(s) {string.Join(", ", missing)}",
                nextStep: "docker pull them, or without a registry make local stand-ins (docs/image.md): a busybox image tagged " +
                          "alpine:latest and mesosphere/inky:latest, an image with `unbuffer` (Debian's expect) tagged mesosphere/alpine-expect:latest, " +
                          "and the test image plus `make -C /src/build/src test-executor` with /bin/test-executor tagged tnachen/test-executor:latest");
        return socket;
    }

    /// <summary>Those of <paramref name="images"/> that the engine does not have.</summary>
    public static async Task<IReadOnlyList<string>> MissingImagesAsync(string dockerCli, string dockerHost, IEnumerable<string> images,
        CancellationToken ct = default)
    {
        var missing = new List<string>();
        foreach (var image in images)
        {
            try
            {
                await DockerCommand.For(dockerCli, dockerHost, ["image", "inspect", "--format", "{{.Id}}", image])
                    .WithPurpose($"inspecting {image}").RunAsync(ct);
            }
            catch (TritonMesosException)
            {
                missing.Add(image);
            }
        }
        return missing;
    }
}
