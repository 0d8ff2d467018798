using Xunit;

namespace TritonMesos.Endpoint.Tests;

/// <summary>The same scenarios with the real docker CLIs (Debian's 20.10 and the v28 one), including Mesos 1.11.0's <c>docker run</c> shapes.</summary>
public abstract class CliTests<TTarget>(TTarget target) : IClassFixture<TTarget> where TTarget : DockerTarget
{
    public static TheoryData<string> Clis => new(new[] { "/usr/bin/docker", "/usr/local/bin/docker" }.Where(File.Exists));

    private async Task<CliWrap.Buffered.BufferedCommandResult> DockerAsync(string cli, params string[] args)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        return await target.DockerAsync(cli, args, ct: timeout.Token);
    }

    [SkippableTheory]
    [MemberData(nameof(Clis))]
    public async Task Attached_run_streams_output_and_returns_the_exit_code(string cli)
    {
        target.Require();
        var name = DockerTarget.NewName("run");
        try
        {
            var run = await DockerAsync(cli, "run", "--name", name, target.Image, "sh", "-c", "echo to-out; sleep 1; echo to-err >&2; exit 3");
            Assert.Equal(3, run.ExitCode);
            Assert.Equal("to-out", run.StandardOutput.Trim());
            Assert.Contains("to-err", run.StandardError);
        }
        finally
        {
            await target.RemoveAsync(name);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Clis))]
    public async Task Interactive_run_passes_stdin_and_its_end(string cli)
    {
        target.Require();
        var name = DockerTarget.NewName("stdin");
        try
        {
            var run = await target.DockerAsync(cli, ["run", "-i", "--name", name, target.Image, "sh", "-c", "cat; echo done"], stdin: "line-1\nline-2\n");
            Assert.Equal(0, run.ExitCode);
            Assert.Equal("line-1\nline-2\ndone", run.StandardOutput.Trim());
        }
        finally
        {
            await target.RemoveAsync(name);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Clis))]
    public async Task Detached_lifecycle_logs_follow_wait_kill_rm(string cli)
    {
        target.Require();
        var name = DockerTarget.NewName("cli-life");
        try
        {
            var run = await DockerAsync(cli, "run", "-d", "--name", name, target.Image, "sh", "-c", "for i in 1 2 3; do echo tick-$i; sleep 0.3; done; exit 5");
            Assert.Equal(0, run.ExitCode);
            var follow = await DockerAsync(cli, "logs", "--follow", name);
            Assert.Equal("tick-1\ntick-2\ntick-3", follow.StandardOutput.Trim());
            var wait = await DockerAsync(cli, "wait", name);
            Assert.Equal("5", wait.StandardOutput.Trim());
            var rm = await DockerAsync(cli, "rm", name);
            Assert.Equal(0, rm.ExitCode);
        }
        finally
        {
            await target.RemoveAsync(name);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Clis))]
    public async Task Rm_of_running_is_refused_then_kill_and_wait_give_137(string cli)
    {
        target.Require();
        var name = DockerTarget.NewName("cli-rm");
        try
        {
            Assert.Equal(0, (await DockerAsync(cli, "run", "-d", "--name", name, target.Image, "sleep", "30")).ExitCode);
            var rm = await DockerAsync(cli, "rm", name);
            Assert.NotEqual(0, rm.ExitCode);
            Assert.Contains("Error response from daemon: Conflict, You cannot remove a running container. Stop the container before attempting removal or use -f (", rm.StandardError);
            Assert.Equal(0, (await DockerAsync(cli, "kill", name)).ExitCode);
            Assert.Equal("137", (await DockerAsync(cli, "wait", name)).StandardOutput.Trim());
        }
        finally
        {
            await target.RemoveAsync(name);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Clis))]
    public async Task Two_containers_publishing_80_both_run(string cli)
    {
        target.Require();
        var (a, b) = (DockerTarget.NewName("p80a"), DockerTarget.NewName("p80b"));
        try
        {
            Assert.Equal(0, (await DockerAsync(cli, "run", "-d", "-p", "80:80", "--name", a, target.Image, "sleep", "30")).ExitCode);
            Assert.Equal(0, (await DockerAsync(cli, "run", "-d", "-p", "80:80", "--name", b, target.Image, "sleep", "30")).ExitCode);
            var port = await DockerAsync(cli, "port", b);
            Assert.Contains("80/tcp -> 0.0.0.0:80", port.StandardOutput);
        }
        finally
        {
            await target.RemoveAsync(a, b);
        }
    }

    /// <summary>Mesos 1.11.0 Docker::run with upstream defaults: host networking and the sandbox bind mount (docker.cpp :735, :818).</summary>
    [SkippableTheory]
    [MemberData(nameof(Clis))]
    public async Task Mesos_upstream_host_network_run_is_refused_like_Triton(string cli)
    {
        target.Require();
        var id = Guid.NewGuid().ToString();
        var run = await DockerAsync(cli, MesosRun(id, sandboxVolume: true, network: "host", ports: []));
        await target.RemoveAsync("mesos-" + id);
        Assert.Equal(125, run.ExitCode);
        Assert.Contains("Error response from daemon: (NotImplemented) NetworkMode host is not supported is not implemented (", run.StandardError);
    }

    [SkippableTheory]
    [MemberData(nameof(Clis))]
    public async Task Mesos_upstream_bridge_run_with_sandbox_volume_is_refused_like_Triton(string cli)
    {
        target.Require();
        var id = Guid.NewGuid().ToString();
        var sandbox = $"/var/lib/mesos/slaves/S0/frameworks/F0/executors/e/runs/{id}";
        var run = await DockerAsync(cli, MesosRun(id, sandboxVolume: true, network: "bridge", ports: ["31000:80"]));
        await target.RemoveAsync("mesos-" + id);
        Assert.Equal(125, run.ExitCode);
        Assert.Contains($"Error response from daemon: (Validation) Invalid binds: {sandbox}:/mnt/mesos/sandbox: {sandbox} is not a valid volume name (", run.StandardError);
    }

    [SkippableTheory]
    [MemberData(nameof(Clis))]
    public async Task Mesos_upstream_bridge_run_remapping_a_port_is_refused_like_Triton(string cli)
    {
        target.Require();
        var id = Guid.NewGuid().ToString();
        var run = await DockerAsync(cli, MesosRun(id, sandboxVolume: false, network: "bridge", ports: ["31000:80"]));
        await target.RemoveAsync("mesos-" + id);
        Assert.Equal(125, run.ExitCode);
        Assert.Contains("Error response from daemon: publish port: remapping of port numbers not allowed (", run.StandardError);
    }

    /// <summary>The Triton profile: no sandbox volume, BRIDGE networking, host port = container port.</summary>
    [SkippableTheory]
    [MemberData(nameof(Clis))]
    public async Task Mesos_triton_profile_run_is_accepted(string cli)
    {
        target.Require();
        var id = Guid.NewGuid().ToString();
        try
        {
            var run = await DockerAsync(cli, MesosRun(id, sandboxVolume: false, network: "bridge", ports: ["31000:31000"]));
            Assert.Equal(0, run.ExitCode);
            Assert.Equal($"sandbox=/mnt/mesos/sandbox name=mesos-{id}", run.StandardOutput.Trim());
        }
        finally
        {
            await target.RemoveAsync("mesos-" + id);
        }
    }

    /// <summary>The argument shape of Mesos 1.11.0 <c>Docker::run</c> for a shell command task (src/docker/docker.cpp).</summary>
    private string[] MesosRun(string id, bool sandboxVolume, string network, string[] ports)
    {
        var args = new List<string> { "run", "--cpu-shares", "1024", "--memory", "134217728",
            "-e", "MESOS_SANDBOX=/mnt/mesos/sandbox", "-e", $"MESOS_CONTAINER_NAME=mesos-{id}" };
        if (sandboxVolume)
            args.AddRange(["-v", $"/var/lib/mesos/slaves/S0/frameworks/F0/executors/e/runs/{id}:/mnt/mesos/sandbox"]);
        args.AddRange(["--net", network]);
        foreach (var port in ports)
            args.AddRange(["-p", port]);
        args.AddRange(["--entrypoint", "/bin/sh", "--name", $"mesos-{id}", target.Image, "-c", "echo sandbox=$MESOS_SANDBOX name=$MESOS_CONTAINER_NAME"]);
        return args.ToArray();
    }
}

public sealed class EndpointCliTests(EndpointTarget target) : CliTests<EndpointTarget>(target);

public sealed class RealTritonCliTests(RealTritonTarget target) : CliTests<RealTritonTarget>(target);
