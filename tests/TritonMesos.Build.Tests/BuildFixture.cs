namespace TritonMesos.Build.Tests;

/// <summary>Runs a build in-process in a temporary root (a directory with <c>.nuke/</c>) and captures what it prints.</summary>
internal sealed class BuildRun : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("triton-mesos-build-").FullName;

    public BuildRun() => Directory.CreateDirectory(Path.Combine(Root, ".nuke"));

    /// <summary>Writes <c>.nuke/&lt;name&gt;</c>.</summary>
    public BuildRun WithNukeFile(string name, string text)
    {
        File.WriteAllText(Path.Combine(Root, ".nuke", name), text);
        return this;
    }

    /// <summary>Runs <typeparamref name="T"/> with the arguments and environment; returns the exit code, the output and the build.</summary>
    public (int ExitCode, string Output, T Build) Run<T>(string[] args, Dictionary<string, string>? environment = null)
        where T : NukeStyleBuild, new()
    {
        var build = new T();
        var output = new StringWriter();
        var previous = (Log.Out, Log.UseColors, Log.Verbosity);
        Log.Out = output;
        Log.UseColors = false;
        try
        {
            var exitCode = build.Run(args, environment ?? [], Root);
            return (exitCode, output.ToString(), build);
        }
        finally
        {
            (Log.Out, Log.UseColors, Log.Verbosity) = previous;
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>The runner writes to the static <see cref="Log"/>: tests that run builds do not run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunnerCollection
{
    public const string Name = "runner";
}
