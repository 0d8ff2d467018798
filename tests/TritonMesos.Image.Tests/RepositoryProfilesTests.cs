using Xunit;

namespace TritonMesos.Image.Tests;

/// <summary>The shipped profiles (profiles/*.json) against a catalog that has the Triton flags.</summary>
public sealed class RepositoryProfilesTests
{
    /// <summary>The checkout this test was compiled from (found from the source path, so any --artifacts-path works).</summary>
    public static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { Path.GetDirectoryName(sourceFile), AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "triton-mesos.sln")))
                    return dir.FullName;
        throw new InvalidOperationException("repository root (triton-mesos.sln) not found above " + sourceFile);
    }

    [Fact]
    public void Triton_profile_renders_the_flags_triton_needs()
    {
        using var tree = new MiniMesosTree();
        var profile = Profile.Load(Path.Combine(RepositoryRoot(), "profiles", "triton.json"));
        var env = new Dictionary<string, string> { ["TRITON_DOCKER_HOST"] = "tcp://us-east-1.docker.example:2376", ["MESOS_MASTER"] = "10.0.0.5:5050" };
        var result = new FlagRenderer(tree.Catalog(), "catalog").Render(profile, [], env, environmentOverrides: true).RequireComplete();
        var lines = result.ToCommandLineText().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var expected in new[]
                 {
                     "--containerizers=docker", "--no-docker_mount_sandbox", "--no-exclusive_ports", "--no-docker_use_container_pid",
                     "--no-docker_remap_ports", "--docker_check_container_ip",
                     "--docker_socket=tcp://us-east-1.docker.example:2376", "--docker_tls_cert_path=/etc/triton/docker",
                     "--docker_remove_delay=0secs", "--launcher=posix", "--isolation=posix/cpu,posix/mem", "--no-docker_kill_orphans",
                     "--master=10.0.0.5:5050",
                 })
            Assert.Contains(expected, lines);
        Assert.Contains(lines, l => l.StartsWith("--resources=cpus:", StringComparison.Ordinal) && l.EndsWith(";ports:[1-65535]", StringComparison.Ordinal));
        Assert.Contains(profile.Notes, n => n.Contains("BRIDGE", StringComparison.Ordinal));
    }

    [Fact]
    public void Upstream_profile_sets_nothing_but_the_required_work_dir()
    {
        using var tree = new MiniMesosTree();
        var profile = Profile.Load(Path.Combine(RepositoryRoot(), "profiles", "upstream.json"));
        var result = new FlagRenderer(tree.Catalog(), "catalog").Render(profile, [], new Dictionary<string, string>(), false);
        Assert.Equal(["work_dir"], result.Flags.Select(f => f.Name));
    }
}
