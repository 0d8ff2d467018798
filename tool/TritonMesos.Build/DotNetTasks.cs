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

    /// <summary>The directories of a solution's sources (every file in them is an input of the compile).</summary>
    public static readonly IReadOnlyList<string> SourceDirectories = ["tool", "tests", "bench", RepositoryLayout.PatchesName];

    /// <summary>The files at the repository root that feed restore and compile.</summary>
    public static readonly IReadOnlyList<string> RootInputs =
        ["Directory.Build.props", "Directory.Packages.props", "Directory.Build.targets", "global.json", "NuGet.config", "nuget.config", ".editorconfig"];

    /// <summary><c>dotnet args</c> in <paramref name="workingDirectory"/>, without telemetry and logo.</summary>
    public static HostCommand Command(IEnumerable<string> arguments, string? workingDirectory) =>
        new HostCommand(DotNetPath).WithArguments(arguments).WithWorkingDirectory(workingDirectory).WithEnvironment(Environment_);

    /// <summary>Runs <c>dotnet args</c> with the console inherited; a non-zero exit throws.</summary>
    private static async Task RunCheckedAsync(IEnumerable<string> arguments, string? workingDirectory)
    {
        var command = Command(arguments, workingDirectory);
        var exitCode = await command.RunInConsoleAsync(Log.Muted);
        if (exitCode != 0)
            throw command.Failure(exitCode);
    }

    /// <summary><c>dotnet restore &lt;solution&gt;</c>.</summary>
    public static Task RestoreAsync(string solutionOrProject, string? workingDirectory = null) =>
        RunCheckedAsync(["restore", solutionOrProject, "--nologo"], workingDirectory);

    /// <summary><c>dotnet build &lt;solution&gt; --no-restore</c> (warnings are errors through Directory.Build.props).</summary>
    public static Task BuildAsync(string solutionOrProject, string? workingDirectory = null, string configuration = "Debug") =>
        RunCheckedAsync(["build", solutionOrProject, "--no-restore", "--nologo", "-c", configuration, "-clp:NoSummary"], workingDirectory);

    /// <summary>
    /// <see cref="RestoreAsync"/> unless the project files, package versions and the solution are as at the last
    /// successful restore (stamp in <paramref name="stampDirectory"/>) and every project has its assets file. Returns
    /// true when it restored.
    /// </summary>
    public static async Task<bool> RestoreIfChangedAsync(string solution, string root, string stampDirectory)
    {
        var projects = Projects(root, solution);
        var stamp = InputStamp.Of(root, [], [solution, .. RootInputs, .. projects.Select(p => Path.GetRelativePath(root, p))], Environment.Version.ToString());
        var stampFile = Path.Combine(stampDirectory, "restore.stamp");
        if (stamp.IsRecordedIn(stampFile) && projects.All(p => File.Exists(Path.Combine(Path.GetDirectoryName(p)!, "obj", "project.assets.json"))))
        {
            Log.Information($"restore: up to date ({solution}, its projects and package versions unchanged since the last restore)");
            return false;
        }
        await RestoreAsync(solution, root);
        stamp.RecordIn(stampFile);
        return true;
    }

    /// <summary>
    /// <see cref="BuildAsync"/> unless no file under <see cref="SourceDirectories"/> nor a root input changed since the
    /// last successful build of <paramref name="configuration"/> (stamp in <paramref name="stampDirectory"/>) and every
    /// project has built assemblies. Returns true when it built.
    /// </summary>
    public static async Task<bool> BuildIfChangedAsync(string solution, string root, string stampDirectory, string configuration = "Debug")
    {
        // Computed before the build: a file edited while it runs makes the next run build again.
        var stamp = InputStamp.Of(root, SourceDirectories, [solution, .. RootInputs], configuration, Environment.Version.ToString());
        var stampFile = Path.Combine(stampDirectory, $"compile-{configuration}.stamp");
        if (stamp.IsRecordedIn(stampFile) && Projects(root, solution).All(p => HasAssemblies(Path.Combine(Path.GetDirectoryName(p)!, "bin", configuration))))
        {
            Log.Information($"compile: up to date ({stamp.FileCount} input files unchanged since the last build)");
            return false;
        }
        await BuildAsync(solution, root, configuration);
        stamp.RecordIn(stampFile);
        return true;
    }

    /// <summary>True when a project's output directory holds a built assembly (<c>dotnet clean</c> leaves the directory, not the files).</summary>
    private static bool HasAssemblies(string outputDirectory) =>
        Directory.Exists(outputDirectory) && Directory.EnumerateFiles(outputDirectory, "*.dll", SearchOption.AllDirectories).Any();

    /// <summary>The project files a solution lists (paths made absolute).</summary>
    public static IReadOnlyList<string> Projects(string root, string solution) =>
        File.ReadLines(Path.Combine(root, solution))
            .Where(l => l.StartsWith("Project(", StringComparison.Ordinal))
            .Select(l => l.Split(',').ElementAtOrDefault(1)?.Trim().Trim('"').Replace('\\', '/'))
            .OfType<string>()
            .Where(p => p.EndsWith("proj", StringComparison.Ordinal))
            .Select(p => Path.GetFullPath(Path.Combine(root, p)))
            .ToList();
}
