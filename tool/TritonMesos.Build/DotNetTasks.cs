namespace TritonMesos.Build;

/// <summary>The <c>dotnet</c> commands the Restore, Compile and Test targets run.</summary>
public static class DotNetTasks
{
    /// <summary>The dotnet executable: <c>DOTNET_HOST_PATH</c> (set when running under dotnet) or <c>dotnet</c> on the PATH.</summary>
    public static string DotNetPath =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static IReadOnlyDictionary<string, string?> Environment_ => new Dictionary<string, string?>
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary><c>dotnet restore &lt;solution&gt;</c>.</summary>
    public static Task RestoreAsync(string solutionOrProject, string? workingDirectory = null) =>
        ProcessTasks.RunCheckedAsync(DotNetPath, ["restore", solutionOrProject, "--nologo"], workingDirectory, Environment_);

    /// <summary><c>dotnet build &lt;solution&gt; --no-restore</c> (warnings are errors through Directory.Build.props).</summary>
    public static Task BuildAsync(string solutionOrProject, string? workingDirectory = null, string configuration = "Debug") =>
        ProcessTasks.RunCheckedAsync(DotNetPath,
            ["build", solutionOrProject, "--no-restore", "--nologo", "-c", configuration, "-clp:NoSummary"], workingDirectory, Environment_);
}
