using System.Diagnostics;

namespace TritonMesos.Image;

/// <summary>The result of a successful build: the tag, the image id, the time it took and which steps were built or cached.</summary>
public sealed record DockerBuildResult(string Tag, string ImageId, TimeSpan Elapsed, long SizeBytes,
    IReadOnlyList<(int Step, string Name, TimeSpan Duration)> BuiltSteps, IReadOnlyList<(int Step, string Name)> CachedSteps);

/// <summary>
/// Runs <c>docker build</c> through the docker CLI (CliWrap) rather than the Engine API (Docker.DotNet): cache mounts
/// (<c>RUN --mount=type=cache</c>, which keep ccache across builds) need BuildKit, and the Engine API's BuildKit session
/// protocol (gRPC over a hijacked connection) is not something Docker.DotNet speaks; Debian's 20.10 CLI with
/// DOCKER_BUILDKIT=1 has BuildKit built in. Progress (step, layer, elapsed) is streamed; a failure throws with the
/// failing step's last 50 lines.
/// </summary>
public static class DockerImageBuild
{
    /// <summary>Builds; <paramref name="onEvent"/> sees every parsed step event, <paramref name="onLine"/> every raw line.</summary>
    public static async Task<DockerBuildResult> RunAsync(DockerBuildRequest request, Action<BuildEvent>? onEvent = null,
        Action<string>? onLine = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(request.DockerCli) && request.DockerCli.Contains('/'))
            throw new TritonMesosException($"docker CLI not found at {request.DockerCli}", nextStep:
                "install Debian's docker.io (apt-get install docker.io): its 20.10 CLI has BuildKit built in, which the cache mounts need");
        var dockerfile = request.DockerfilePath;
        if (!File.Exists(dockerfile))
            throw new TritonMesosException("Dockerfile not found", dockerfile);

        var progress = new BuildProgress();
        var clock = Stopwatch.StartNew();
        var exitCode = await new HostCommand(request.DockerCli).WithArguments(request.Arguments()).WithEnvironment(Environment(request))
            .StreamAsync(Handle, cancellationToken);

        void Handle(string line)
        {
            onLine?.Invoke(line);
            if (progress.Feed(line) is { } ev)
                onEvent?.Invoke(ev);
        }

        if (exitCode != 0)
            throw Failure(request, progress, exitCode);

        var inspect = await new HostCommand(request.DockerCli).WithArguments(["image", "inspect", "--format", "{{.Id}} {{.Size}}", request.Tag])
            .WithEnvironment(Environment(request)).TryRunAsync(cancellationToken);
        var parts = inspect.StandardOutput.Trim().Split(' ');
        if (inspect.ExitCode != 0 || parts.Length < 2)
            throw new TritonMesosException($"the build succeeded but image {request.Tag} cannot be inspected: {inspect.StandardError.Trim()}");
        return new DockerBuildResult(request.Tag, parts[0], clock.Elapsed, long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
            progress.Built, progress.Cached);
    }

    private static IReadOnlyDictionary<string, string?> Environment(DockerBuildRequest request)
    {
        var env = new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = "1" };
        if (request.DockerHost is not null)
            env["DOCKER_HOST"] = request.DockerHost;
        return env;
    }

    private static TritonMesosException Failure(DockerBuildRequest request, BuildProgress progress, int exitCode)
    {
        var dockerfile = request.DockerfilePath;
        if (progress.FailedStep is { } step)
        {
            var lines = progress.LastLines(step, 50);
            var text = string.Join(System.Environment.NewLine, lines.Select(l => "    | " + l));
            return new TritonMesosException(
                $"image build failed at step {progress.NameOf(step)}: {progress.FailedError}" +
                (lines.Count > 0 ? $"{System.Environment.NewLine}  last {lines.Count} lines of that step:{System.Environment.NewLine}{text}" : ""),
                dockerfile, exitCode: exitCode == 0 ? 1 : exitCode,
                nextStep: "fix the step above; rebuilds reuse the layer cache and the ccache mount");
        }
        var tail = progress.Unparsed.Skip(Math.Max(0, progress.Unparsed.Count - 50)).ToList();
        if (tail.Any(l => l.Contains("context canceled", StringComparison.Ordinal)))
            return new TritonMesosException("the image build was cancelled (the docker CLI was stopped); the layer cache and the ccache mount keep what was done",
                dockerfile, exitCode: exitCode == 0 ? 1 : exitCode, nextStep: "run the build again: it resumes from the cached layers and ccache");
        return new TritonMesosException(
            $"docker build exited with code {exitCode} before any step failed:{System.Environment.NewLine}" +
            string.Join(System.Environment.NewLine, tail.Select(l => "    | " + l)),
            dockerfile, exitCode: exitCode == 0 ? 1 : exitCode,
            nextStep: $"check that the engine answers (DOCKER_HOST={request.DockerHost ?? "<unset>"}) and that the base image exists locally");
    }
}
