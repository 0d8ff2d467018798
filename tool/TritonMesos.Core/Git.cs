namespace TritonMesos;

/// <summary>The git command line with a pinned, user-independent configuration, so every result is reproducible.</summary>
public static class Git
{
    /// <summary>The committer of every commit the tool makes.</summary>
    public const string CommitterName = "triton-mesos";

    /// <summary>The committer e-mail of every commit the tool makes.</summary>
    public const string CommitterEmail = "triton-mesos@users.noreply.github.com";

    /// <summary>The environment every git the tool starts runs with (also a process started without <see cref="Command"/>, such as a long-running <c>git cat-file --batch</c>).</summary>
    public static readonly IReadOnlyDictionary<string, string?> Isolation = new Dictionary<string, string?>
    {
        // The user's ~/.gitconfig (format.signature, diff.noprefix, am.threeWay, …) must not change our output.
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_CONFIG_GLOBAL"] = OperatingSystem.IsWindows() ? "NUL" : "/dev/null",
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_COMMITTER_NAME"] = CommitterName,
        ["GIT_COMMITTER_EMAIL"] = CommitterEmail,
        ["LC_ALL"] = "C",
        ["LANGUAGE"] = "C",
    };

    /// <summary><c>git args</c> in <paramref name="directory"/>, isolated from the user's and the system's git configuration.</summary>
    public static HostCommand Command(string directory, IEnumerable<string> arguments) =>
        new HostCommand("git").WithArguments(arguments).WithWorkingDirectory(directory).WithEnvironment(Isolation)
            .WithNextStep("install git (e.g. `apt-get install git`)");

    /// <summary>Runs git in <paramref name="directory"/>; never throws on a non-zero exit.</summary>
    public static Task<CommandOutput> TryRunAsync(string directory, IEnumerable<string> arguments,
        CancellationToken cancellationToken = default, string? standardInput = null, Action<string>? onOutputLine = null) =>
        Command(directory, arguments).WithStandardInput(standardInput).WithOutputLines(onOutputLine).TryRunAsync(cancellationToken);

    /// <summary>Runs git and returns stdout; a failure throws with git's message.</summary>
    public static Task<string> RunAsync(string directory, IEnumerable<string> arguments,
        CancellationToken cancellationToken = default, string? standardInput = null) =>
        Command(directory, arguments).WithStandardInput(standardInput).RunAsync(cancellationToken);

    /// <summary>Resolves a revision to a full commit id, or null when it does not exist.</summary>
    public static async Task<string?> TryResolveCommitAsync(string directory, string revision, CancellationToken ct = default)
    {
        var result = await TryRunAsync(directory, ["rev-parse", "-q", "--verify", revision + "^{commit}"], ct);
        return result.Succeeded ? result.StandardOutput.Trim() : null;
    }

    /// <summary>True when <paramref name="url"/> names a directory on this machine rather than a remote URL.</summary>
    public static bool IsLocalPath(string url, out string path)
    {
        path = url.StartsWith("file://", StringComparison.Ordinal) ? url["file://".Length..] : url;
        return (!url.Contains("://", StringComparison.Ordinal) && !LooksLikeScp(url) || url.StartsWith("file://", StringComparison.Ordinal))
               && Directory.Exists(path);
    }

    private static bool LooksLikeScp(string url)
    {
        var colon = url.IndexOf(':');
        var slash = url.IndexOf('/');
        return colon > 1 && (slash < 0 || colon < slash);
    }
}
