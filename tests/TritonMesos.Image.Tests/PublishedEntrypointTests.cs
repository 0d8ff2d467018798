using Xunit;

namespace TritonMesos.Image.Tests;

/// <summary>The entrypoint published exactly as the image build publishes it (self-contained, single file, trimmed), then run.</summary>
public sealed class PublishedEntrypointTests : IDisposable
{
    private readonly MiniMesosTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public async Task The_trimmed_single_file_entrypoint_publishes_and_renders_a_profile()
    {
        var output = Path.Combine(_tree.Root, "image");
        var binary = await EntrypointPublisher.PublishAsync(RepositoryProfilesTests.RepositoryRoot(), output, Path.Combine(_tree.Root, "artifacts"));
        Assert.Equal([EntrypointPublisher.BinaryName], Directory.EnumerateFileSystemEntries(output).Select(Path.GetFileName));

        // The image's layout: catalog and profiles next to the binary, which is where it looks without TRITON_MESOS_HOME.
        _tree.Catalog().Save(Path.Combine(output, FlagCatalog.FileName));
        Directory.CreateDirectory(Path.Combine(output, Profile.DirectoryName));
        foreach (var p in Directory.EnumerateFiles(Path.Combine(RepositoryProfilesTests.RepositoryRoot(), Profile.DirectoryName), "*.json"))
            File.Copy(p, Path.Combine(output, Profile.DirectoryName, Path.GetFileName(p)));

        var run = await new HostCommand(binary).WithArguments(["flags", "--env"])
            .WithEnvironment(new Dictionary<string, string?> { ["TRITON_MESOS_PROFILE"] = "upstream", ["TRITON_MESOS_HOME"] = null })
            .TryRunAsync();
        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal("MESOS_WORK_DIR=/var/lib/mesos\n", run.StandardOutput);

        var refused = await new HostCommand(binary).WithArguments(["agent"])
            .WithEnvironment(new Dictionary<string, string?> { ["TRITON_MESOS_PROFILE"] = "no-such-profile", ["TRITON_MESOS_HOME"] = null })
            .TryRunAsync();
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("no-such-profile", refused.StandardError);
    }
}
