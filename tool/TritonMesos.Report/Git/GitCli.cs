namespace TritonMesos.Report.Git;

/// <summary>The output of one git run.</summary>
public sealed record GitOutput(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>True when git exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Runs the git command line (for what libgit2 lacks: patch-id, am, format-patch) through the tool's one git runner.</summary>
public static class GitCli
{
    /// <summary>Runs <c>git args</c> in <paramref name="workingDirectory"/>; never throws on a non-zero exit.</summary>
    public static async Task<GitOutput> RunAsync(string workingDirectory, IEnumerable<string> args, string? standardInput = null,
        IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        var output = await global::TritonMesos.Git.Command(workingDirectory, args).WithEnvironment(environment)
            .WithStandardInput(standardInput).TryRunAsync(cancellationToken);
        return new GitOutput(output.ExitCode, output.StandardOutput, output.StandardError);
    }

    /// <summary>Runs git and returns stdout; a failure becomes a <see cref="TritonMesosException"/> naming the command.</summary>
    public static Task<string> RunCheckedAsync(string workingDirectory, IEnumerable<string> args, string? standardInput = null,
        IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default) =>
        global::TritonMesos.Git.Command(workingDirectory, args).WithEnvironment(environment)
            .WithStandardInput(standardInput).RunAsync(cancellationToken);
}
