namespace TritonMesos.Image;

/// <summary>One <c>docker build</c>: context, Dockerfile, tag, build args, labels and where the engine is.</summary>
public sealed record DockerBuildRequest(
    string ContextDirectory,
    string Dockerfile,
    string Tag,
    IReadOnlyList<KeyValuePair<string, string>> BuildArgs,
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    string? DockerHost = null,
    bool NoCache = false,
    string? Target = null,
    string DockerCli = DockerBuildRequest.DebianDockerCli,
    bool NetworkNone = true)
{
    /// <summary>
    /// Debian's docker 20.10 CLI: its built-in BuildKit (DOCKER_BUILDKIT=1) supports <c>RUN --mount=type=cache</c>.
    /// The newer CLI on PATH has no buildx, so with it BuildKit fails and the legacy builder has no cache mounts.
    /// </summary>
    public const string DebianDockerCli = "/usr/bin/docker";

    /// <summary>The Dockerfile's full path (a relative one is inside the context; the CLI would take it relative to the current directory).</summary>
    public string DockerfilePath => Path.GetFullPath(Path.IsPathRooted(Dockerfile) ? Dockerfile : Path.Combine(ContextDirectory, Dockerfile));

    /// <summary>The CLI arguments.</summary>
    public IReadOnlyList<string> Arguments()
    {
        var args = new List<string> { "build", "--progress=plain", "-f", DockerfilePath, "-t", Tag };
        if (NetworkNone)
            args.AddRange(["--network", "none"]);
        if (NoCache)
            args.Add("--no-cache");
        if (Target is not null)
            args.AddRange(["--target", Target]);
        foreach (var (key, value) in BuildArgs)
            args.AddRange(["--build-arg", $"{key}={value}"]);
        foreach (var (key, value) in Labels)
            args.AddRange(["--label", $"{key}={value}"]);
        args.Add(ContextDirectory);
        return args;
    }
}
