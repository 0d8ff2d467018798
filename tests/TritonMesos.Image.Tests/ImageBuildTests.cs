using TritonMesos.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.Image.Tests;

/// <summary>
/// The base-image and image-build code paths against the real engine (DOCKER_HOST) and Debian's docker CLI with BuildKit:
/// a busybox root file system stands in for debootstrap (which needs a Debian mirror and ~30 s), and a tiny Dockerfile with
/// the same mechanisms as Dockerfile.slave (ARG BASE_IMAGE, a cache mount, build args, labels) stands in for the Mesos build.
/// </summary>
public sealed class ImageBuildTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("triton-mesos-imgtest-").FullName;
    private readonly List<string> _images = new();
    private DockerEngine? _engine;

    public void Dispose()
    {
        if (_engine is not null)
            foreach (var image in _images)
                _engine.DockerAsync("rmi", "-f", image).GetAwaiter().GetResult();
        Directory.Delete(_work, recursive: true);
    }

    private async Task<string> ImportBusyboxBaseAsync(DockerEngine engine)
    {
        var rootfs = Path.Combine(_work, "rootfs");
        var bin = Directory.CreateDirectory(Path.Combine(rootfs, "bin")).FullName;
        Skip.IfNot(File.Exists("/bin/busybox") || DockerEngine.UnderCi, "no /bin/busybox (apt-get install busybox-static)");
        File.Copy("/bin/busybox", Path.Combine(bin, "busybox"));
        foreach (var applet in new[] { "sh", "cat", "echo", "mkdir", "true", "seq", "ls" })
            File.CreateSymbolicLink(Path.Combine(bin, applet), "busybox");
        var tag = $"triton-mesos-test/base:{Guid.NewGuid():N}"[..40];
        var id = await BaseImageBuilder.ImportAsync(rootfs, tag, engine.Host, engine.Cli);
        _images.Add(tag);
        Assert.StartsWith("sha256:", id);
        return tag;
    }

    private string WriteContext(string dockerfile)
    {
        var context = Directory.CreateDirectory(Path.Combine(_work, "ctx-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        File.WriteAllText(Path.Combine(context, "Dockerfile"), dockerfile);
        return context;
    }

    [SkippableFact]
    public async Task Builds_a_labelled_image_from_an_imported_base_and_the_cache_mount_survives_a_rebuild()
    {
        var engine = _engine = await DockerEngine.RequireAsync();
        var baseImage = await ImportBusyboxBaseAsync(engine);
        var cacheId = "triton-mesos-test-" + Guid.NewGuid().ToString("N")[..12];
        var context = WriteContext($$"""
            ARG BASE_IMAGE=debian:bookworm
            FROM ${BASE_IMAGE}
            ARG BUST=0
            RUN --mount=type=cache,id={{cacheId}},target=/cache \
                n=$(cat /cache/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > /cache/n; echo "bust=$BUST compiles=$n"
            ARG SERIES_HASH=unknown
            LABEL io.triton-mesos.series-hash="${SERIES_HASH}"
            """);
        var metadata = new ImageMetadata("1.11.0", "04bc7ee1984d86fbb0bd782ccc69ce44c13ae4b9", Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"),
            ["sandbox-mount", "docker-tls"], "0.1.0-test");
        _images.Add(metadata.Tag);

        async Task<(DockerBuildResult, List<BuildEvent>)> BuildAsync(string bust)
        {
            var events = new List<BuildEvent>();
            var request = new DockerBuildRequest(context, "Dockerfile", metadata.Tag,
                [new("BASE_IMAGE", baseImage), new("BUST", bust), .. metadata.BuildArgs], metadata.Labels, engine.Host,
                DockerCli: engine.Cli);
            var result = await DockerImageBuild.RunAsync(request, e => { events.Add(e); output.WriteLine(e.ToString()); });
            return (result, events);
        }

        var (first, firstEvents) = await BuildAsync("1");
        _images.Add(first.ImageId); // the second build moves the tag; remove the first image by id
        Assert.Equal(metadata.Tag, first.Tag);
        Assert.StartsWith("sha256:", first.ImageId);
        Assert.Contains(firstEvents, e => e is StepStarted s && s.Name.Contains("RUN --mount=type=cache", StringComparison.Ordinal));
        Assert.Contains(firstEvents, e => e is StepOutput o && o.Text == "bust=1 compiles=1");
        Assert.Contains(firstEvents, e => e is StepFinished { Cached: false, Duration: not null });

        // A changed build arg re-runs the step (as a changed patch re-runs make); the cache mount still holds its state.
        var (_, secondEvents) = await BuildAsync("2");
        Assert.Contains(secondEvents, e => e is StepOutput o && o.Text == "bust=2 compiles=2");

        var labels = await engine.DockerAsync("image", "inspect", "--format", "{{json .Config.Labels}}", metadata.Tag);
        var parsed = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(labels.StandardOutput)!;
        foreach (var (key, value) in metadata.Labels)
            Assert.Equal(value, parsed[key]);
        Assert.Equal("sandbox-mount,docker-tls", parsed["io.triton-mesos.features"]);
        Assert.Matches(@"^triton-mesos-agent:1\.11\.0-[0-9a-f]{12}$", metadata.Tag);
    }

    [SkippableFact]
    public async Task A_failing_step_is_reported_with_its_last_50_lines()
    {
        var engine = _engine = await DockerEngine.RequireAsync();
        var baseImage = await ImportBusyboxBaseAsync(engine);
        var context = WriteContext("""
            ARG BASE_IMAGE
            FROM ${BASE_IMAGE}
            RUN echo fine
            RUN i=1; while [ $i -le 80 ]; do printf 'out-%03d\n' $i; i=$((i+1)); done; exit 3
            """);
        var tag = $"triton-mesos-test/failing:{Guid.NewGuid():N}"[..40];
        var request = new DockerBuildRequest(context, "Dockerfile", tag, [new("BASE_IMAGE", baseImage)], [], engine.Host, NoCache: true,
            DockerCli: engine.Cli);
        var e = await Assert.ThrowsAsync<TritonMesosException>(() => DockerImageBuild.RunAsync(request));
        output.WriteLine(e.Render());
        Assert.Contains("image build failed at step", e.Message);
        Assert.Contains("RUN i=1", e.Message);
        Assert.Contains("exit code: 3", e.Message);
        Assert.Contains("out-031", e.Message);
        Assert.Contains("out-080", e.Message);
        Assert.DoesNotContain("out-030", e.Message);
        Assert.EndsWith("Dockerfile", e.File);
        Assert.NotEqual(0, e.ExitCode);
    }

    [SkippableFact]
    public async Task A_missing_base_image_fails_with_a_clear_error()
    {
        var engine = _engine = await DockerEngine.RequireAsync();
        var context = WriteContext("ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nRUN true\n");
        var request = new DockerBuildRequest(context, "Dockerfile", "triton-mesos-test/never:1",
            [new("BASE_IMAGE", "triton-mesos-test/no-such-base:" + Guid.NewGuid().ToString("N")[..8])], [], engine.Host, DockerCli: engine.Cli);
        var e = await Assert.ThrowsAsync<TritonMesosException>(() => DockerImageBuild.RunAsync(request));
        output.WriteLine(e.Render());
        Assert.Contains("no-such-base", e.Message);
    }
}
