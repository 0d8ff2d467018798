using System.Text;
using CliWrap;

namespace TritonMesos.Pipeline;

/// <summary>The outcome of one git invocation.</summary>
internal sealed record GitResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>stderr (or stdout when stderr is empty), trimmed, for error messages.</summary>
    public string Diagnostics => (StandardError.Trim().Length > 0 ? StandardError : StandardOutput).Trim();
}

/// <summary>Runs the git CLI with a pinned, user-independent configuration so results are reproducible.</summary>
internal static class Git
{
    /// <summary>The committer of every commit the pipeline makes.</summary>
    public const string CommitterName = "triton-mesos";

    /// <summary>The committer e-mail of every commit the pipeline makes.</summary>
    public const string CommitterEmail = "triton-mesos@users.noreply.github.com";

    private static readonly IReadOnlyDictionary<string, string?> Environment = new Dictionary<string, string?>
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

    /// <summary>Runs git in <paramref name="directory"/>; never throws on a non-zero exit.</summary>
    public static async Task<GitResult> TryRunAsync(string directory, IEnumerable<string> arguments,
        CancellationToken cancellationToken = default, string? standardInput = null, Action<string>? onOutputLine = null)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var command = Cli.Wrap("git")
            .WithArguments(arguments)
            .WithWorkingDirectory(directory)
            .WithEnvironmentVariables(Environment)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(onOutputLine is null
                ? PipeTarget.ToStringBuilder(stdout, Encoding.UTF8)
                : PipeTarget.ToDelegate(line =>
                {
                    stdout.Append(line).Append('\n');
                    onOutputLine(line);
                }, Encoding.UTF8))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr, Encoding.UTF8));
        if (standardInput is not null)
            command = command.WithStandardInputPipe(PipeSource.FromString(standardInput, Encoding.UTF8));
        try
        {
            var result = await command.ExecuteAsync(cancellationToken);
            return new GitResult(result.ExitCode, stdout.ToString(), stderr.ToString());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new TritonMesosException("git is not installed or not on PATH", nextStep: "install git (e.g. `apt-get install git`)",
                inner: e);
        }
    }

    /// <summary>Runs git and throws a <see cref="TritonMesosException"/> with git's message on failure.</summary>
    public static async Task<string> RunAsync(string directory, IEnumerable<string> arguments,
        CancellationToken cancellationToken = default, string? standardInput = null)
    {
        var args = arguments.ToList();
        var result = await TryRunAsync(directory, args, cancellationToken, standardInput);
        if (!result.Succeeded)
            throw new TritonMesosException($"`git {string.Join(' ', args)}` failed in {directory}: {result.Diagnostics}");
        return result.StandardOutput;
    }

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
        return !url.Contains("://", StringComparison.Ordinal) && !LooksLikeScp(url) || url.StartsWith("file://", StringComparison.Ordinal)
            ? Directory.Exists(path)
            : false;
    }

    private static bool LooksLikeScp(string url)
    {
        var colon = url.IndexOf(':');
        var slash = url.IndexOf('/');
        return colon > 1 && (slash < 0 || colon < slash);
    }
}
