using CliWrap;
using CliWrap.Buffered;
using Xunit;

namespace TritonMesos.TestSupport;

/// <summary>
/// The real Docker engine the tests talk to: <c>DOCKER_HOST</c> (set by .ci/run), checked once per test run.
/// Outside CI a missing engine skips tests with the reason; under CI (CI=true) it fails them.
/// </summary>
public sealed class DockerEngine
{
    /// <summary>A tiny local image (busybox-static imported with <c>docker import</c>) for tests that run containers.</summary>
    public const string TestImage = "triton-mesos-test/busybox:latest";

    private static readonly Lazy<Task<DockerEngine>> Shared = new(ProbeAsync);

    /// <summary>The engine endpoint, e.g. <c>unix:///run/triton-mesos-ci/docker.sock</c>.</summary>
    public string Host { get; }

    /// <summary>Why the engine cannot be used, or null when it can.</summary>
    public string? Unavailable { get; }

    /// <summary>The docker CLI used for setup: Debian's /usr/bin/docker when present.</summary>
    public string Cli { get; }

    private DockerEngine(string host, string cli, string? unavailable)
    {
        Host = host;
        Cli = cli;
        Unavailable = unavailable;
    }

    /// <summary>True when running under CI, where a missing engine is a failure rather than a skip.</summary>
    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The engine for this test run; skips (or fails under CI) when it is not reachable.</summary>
    public static async Task<DockerEngine> RequireAsync()
    {
        var engine = await Shared.Value;
        if (engine.Unavailable is not null)
        {
            if (UnderCi)
                Assert.Fail("Docker engine required under CI: " + engine.Unavailable);
            Skip.If(true, "Docker engine not available: " + engine.Unavailable);
        }
        return engine;
    }

    /// <summary>Runs the docker CLI against this engine and returns its buffered result (no exit-code check).</summary>
    public Task<BufferedCommandResult> DockerAsync(params string[] args) =>
        CliWrap.Cli.Wrap(Cli)
            .WithArguments(args)
            .WithEnvironmentVariables(e => e.Set("DOCKER_HOST", Host))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

    private static async Task<DockerEngine> ProbeAsync()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock";
        var cli = File.Exists("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
        var engine = new DockerEngine(host, cli, null);
        try
        {
            var version = await engine.DockerAsync("version", "--format", "{{.Server.APIVersion}}");
            if (version.ExitCode != 0)
                return new DockerEngine(host, cli, $"`docker version` against {host} failed: {version.StandardError.Trim()}");
            await EnsureTestImageAsync(engine);
            return engine;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or CliWrap.Exceptions.CommandExecutionException or InvalidOperationException)
        {
            return new DockerEngine(host, cli, e.Message);
        }
    }

    private static async Task EnsureTestImageAsync(DockerEngine engine)
    {
        if ((await engine.DockerAsync("image", "inspect", TestImage)).ExitCode == 0)
            return;
        var busybox = "/bin/busybox";
        if (!File.Exists(busybox))
            throw new InvalidOperationException("no /bin/busybox to make the test image from: apt-get install busybox-static");
        var root = Directory.CreateTempSubdirectory("triton-mesos-busybox-");
        try
        {
            var bin = Directory.CreateDirectory(Path.Combine(root.FullName, "bin"));
            File.Copy(busybox, Path.Combine(bin.FullName, "busybox"));
            var install = await CliWrap.Cli.Wrap(Path.Combine(bin.FullName, "busybox"))
                .WithArguments(["--install", "-s", bin.FullName])
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync();
            if (install.ExitCode != 0)
                throw new InvalidOperationException("busybox --install failed: " + install.StandardError);
            // busybox --install -s writes absolute links to its own path; make them relative to the image root.
            foreach (var link in Directory.EnumerateFileSystemEntries(bin.FullName).Where(p => new FileInfo(p).LinkTarget is not null))
            {
                File.Delete(link);
                File.CreateSymbolicLink(link, "busybox");
            }
            var tar = Path.Combine(root.FullName, "..", Path.GetFileName(root.FullName) + ".tar");
            await CliWrap.Cli.Wrap("tar").WithArguments(["-C", root.FullName, "-cf", tar, "."]).ExecuteAsync();
            var imported = await engine.DockerAsync("import", "--change", "CMD [\"/bin/sh\"]", tar, TestImage);
            File.Delete(tar);
            if (imported.ExitCode != 0)
                throw new InvalidOperationException("docker import of the busybox test image failed: " + imported.StandardError);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
