using TritonMesos.TestSupport;
using Xunit;

namespace TritonMesos.Image.Tests;

public sealed class RootDockerEngineTests
{
    [Fact]
    public async Task A_tcp_engine_is_refused_before_anything_runs()
    {
        var e = await Assert.ThrowsAsync<TritonMesosException>(() => RootDockerEngine.CheckAsync("/usr/bin/docker", "tcp://127.0.0.1:2376"));

        Assert.Contains("unix socket", e.Message);
        Assert.Contains("--docker-host", e.NextStep);
    }

    [SkippableFact]
    public async Task An_engine_with_mesos_containers_is_refused_and_they_are_named()
    {
        var engine = await DockerEngine.RequireAsync();
        var name = "mesos-root-docker-check-" + Guid.NewGuid().ToString("N")[..12];
        var created = await engine.DockerAsync("create", "--network", "none", "--name", name, DockerEngine.TestImage, "true");
        Assert.True(created.ExitCode == 0, created.StandardError);
        try
        {
            var e = await Assert.ThrowsAsync<TritonMesosException>(() => RootDockerEngine.CheckAsync(engine.Cli, engine.Host));

            Assert.Contains(name, e.Message);
            Assert.Contains("remove every such container", e.Message);
        }
        finally
        {
            await engine.DockerAsync("rm", "-f", name);
        }
    }

    [SkippableFact]
    public async Task Missing_test_images_are_listed_and_present_ones_are_not()
    {
        var engine = await DockerEngine.RequireAsync();
        var absent = "triton-mesos-test/absent-" + Guid.NewGuid().ToString("N")[..12] + ":latest";

        var missing = await RootDockerEngine.MissingImagesAsync(engine.Cli, engine.Host, [DockerEngine.TestImage, absent]);

        Assert.Equal([absent], missing);
    }
}
