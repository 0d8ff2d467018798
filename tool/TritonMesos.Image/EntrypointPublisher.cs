namespace TritonMesos.Image;

/// <summary>
/// Publishes the entrypoint (tool/TritonMesos.Image.Entrypoint) self-contained, single-file and trimmed for linux-x64, so the
/// image renders profiles with exactly the code of <c>triton-mesos flags</c> without carrying a .NET runtime install.
/// </summary>
public static class EntrypointPublisher
{
    /// <summary>The project, relative to the repository root.</summary>
    public const string ProjectPath = "tool/TritonMesos.Image.Entrypoint/TritonMesos.Image.Entrypoint.csproj";

    /// <summary>The published binary's file name.</summary>
    public const string BinaryName = "triton-mesos-entrypoint";

    /// <summary>
    /// Runs <c>dotnet publish</c> into <paramref name="outputDirectory"/>; returns the binary's path. Intermediate files go to
    /// <paramref name="artifactsDirectory"/> (--artifacts-path), not the projects' obj/, so a RID-specific restore never
    /// disturbs the repository's own builds. Single-file and trimming are set in the project for publishing only (as global
    /// properties they would reach the generator analyzer, which cannot be trimmed). Trim warnings stay warnings: they come from Core's reflection JSON
    /// (UpstreamLock, FeatureList), which the entrypoint never calls; its own JSON is source-generated or JsonDocument.
    /// </summary>
    public static async Task<string> PublishAsync(string repositoryRoot, string outputDirectory, string artifactsDirectory,
        Action<string>? log = null, CancellationToken ct = default)
    {
        var project = Path.Combine(repositoryRoot, ProjectPath);
        if (!File.Exists(project))
            throw new TritonMesosException("entrypoint project not found", project, nextStep: "run from the repository root (--root)");
        log?.Invoke("dotnet publish the entrypoint (linux-x64, self-contained, single file, trimmed)");
        await new HostCommand("dotnet").WithArguments(
        [
            "publish", project, "-c", "Release", "-r", "linux-x64", "--self-contained", "true", "-o", outputDirectory, "--nologo",
            "--artifacts-path", artifactsDirectory, "-p:DebugType=none",
            ]).WithPurpose("dotnet publish of the entrypoint").WithNextStep("the first publish downloads the linux-x64 runtime pack from NuGet").RunAsync(ct);
        var binary = Path.Combine(outputDirectory, BinaryName);
        if (!File.Exists(binary))
            throw new TritonMesosException($"dotnet publish wrote no {BinaryName}", outputDirectory);
        return binary;
    }
}
