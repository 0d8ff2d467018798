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

    [Fact]
    public void Triton_profile_renders_the_data_center_as_the_fault_domain_region()
    {
        using var tree = new MiniMesosTree();
        var profile = Profile.Load(Path.Combine(RepositoryRoot(), "profiles", "triton.json"));
        var renderer = new FlagRenderer(tree.Catalog(), "catalog");
        var env = new Dictionary<string, string>
        {
            ["TRITON_DOCKER_HOST"] = "tcp://us-sw-1.docker.example:2376", ["MESOS_MASTER"] = "zk://10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181/mesos",
            ["TRITON_REGION"] = "us-sw-1", ["TRITON_ZONE"] = "us-sw-1a",
        };
        var lines = renderer.Render(profile, [], env, environmentOverrides: true).RequireComplete().ToCommandLineText().Split('\n');
        Assert.Contains("""--domain={"fault_domain":{"region":{"name":"us-sw-1"},"zone":{"name":"us-sw-1a"}}}""", lines);
        Assert.Contains("--master=zk://10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181/mesos", lines);

        env.Remove("TRITON_REGION");
        env.Remove("TRITON_ZONE");
        Assert.DoesNotContain(renderer.Render(profile, [], env, true).Flags, f => f.Name == "domain");
        env["TRITON_REGION"] = "us-sw-1";
        var e = Assert.Throws<TritonMesosException>(() => renderer.Render(profile, [], env, true));
        Assert.Contains("a region ('us-sw-1') without a zone", e.Message);
        Assert.EndsWith("triton.json", e.File);
    }

    [Fact]
    public void Master_profile_renders_an_ha_master()
    {
        using var tree = new MiniMesosTree();
        var profile = Profile.Load(Path.Combine(RepositoryRoot(), "profiles", "master.json"));
        Assert.Equal(FlagSide.Master, profile.Program);
        var env = new Dictionary<string, string>
        {
            ["TRITON_MESOS_ZK"] = "zk://10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181/mesos", ["TRITON_MESOS_QUORUM"] = "2",
            [FlagRules.MastersVariable] = "3", ["TRITON_REGION"] = "us-east-1", ["TRITON_ZONE"] = "us-east-1a",
        };
        var lines = new FlagRenderer(tree.Catalog(), "catalog").Render(profile, [], env, environmentOverrides: true).RequireComplete()
            .ToCommandLineText().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "--work_dir=/var/lib/mesos", "--zk=zk://10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181/mesos", "--quorum=2", "--registry=replicated_log",
                """--domain={"fault_domain":{"region":{"name":"us-east-1"},"zone":{"name":"us-east-1a"}}}""", "--no-hostname_lookup",
            ], lines);
    }
}
