namespace TritonMesos.Image;

/// <summary>The docker CLI against one engine: a <see cref="HostCommand"/> with <c>DOCKER_HOST</c> set when an engine is given.</summary>
internal static class DockerCommand
{
    /// <summary><c>docker args</c> run by <paramref name="dockerCli"/> against <paramref name="dockerHost"/> (null: the inherited DOCKER_HOST).</summary>
    public static HostCommand For(string dockerCli, string? dockerHost, IEnumerable<string> arguments) =>
        new HostCommand(dockerCli).WithArguments(arguments).WithEnvironment(Environment(dockerHost));

    /// <summary>The environment that points the docker CLI at <paramref name="dockerHost"/>.</summary>
    public static IReadOnlyDictionary<string, string?> Environment(string? dockerHost) =>
        dockerHost is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["DOCKER_HOST"] = dockerHost };
}
