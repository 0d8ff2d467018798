using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace TritonMesos.Report.Git;

/// <summary>The output of one git run.</summary>
public sealed record GitOutput(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>True when git exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Runs the git command line (for what libgit2 lacks: patch-id, am, format-patch).</summary>
public static class GitCli
{
    /// <summary>Runs <c>git args</c> in <paramref name="workingDirectory"/>; never throws on a non-zero exit.</summary>
    public static async Task<GitOutput> RunAsync(string workingDirectory, IEnumerable<string> args, string? standardInput = null,
        IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        var command = Cli.Wrap("git")
            .WithArguments(args)
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(env =>
            {
                env.Set("LC_ALL", "C").Set("GIT_TERMINAL_PROMPT", "0");
                if (environment is not null)
                    env.Set(environment);
            })
            .WithValidation(CommandResultValidation.None);
        if (standardInput is not null)
            command = command.WithStandardInputPipe(PipeSource.FromString(standardInput, new UTF8Encoding(false)));
        try
        {
            var result = await command.ExecuteBufferedAsync(Encoding.UTF8, cancellationToken);
            return new GitOutput(result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new TritonMesosException("git is not installed or not on PATH", nextStep: "install git (apt-get install -y git)", inner: e);
        }
    }

    /// <summary>Runs git and returns stdout; a failure becomes a <see cref="TritonMesosException"/> naming the command.</summary>
    public static async Task<string> RunCheckedAsync(string workingDirectory, IEnumerable<string> args, string? standardInput = null,
        IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        var list = args.ToList();
        var output = await RunAsync(workingDirectory, list, standardInput, environment, cancellationToken);
        if (!output.Succeeded)
            throw new TritonMesosException($"`git {string.Join(' ', list)}` failed in {workingDirectory} (exit {output.ExitCode}): {output.StandardError.Trim()}");
        return output.StandardOutput;
    }
}
