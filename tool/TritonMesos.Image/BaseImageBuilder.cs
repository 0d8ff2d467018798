using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;

namespace TritonMesos.Image;

/// <summary>Options of <see cref="BaseImageBuilder.CreateAsync"/>.</summary>
public sealed record BaseImageOptions(string Tag = BaseImageOptions.DefaultTag)
{
    /// <summary>The base image the Build target uses unless told otherwise.</summary>
    public const string DefaultTag = "triton-mesos-base:bookworm";

    /// <summary>The Debian suite.</summary>
    public string Suite { get; init; } = "bookworm";

    /// <summary>The apt mirror; null is the host's (<see cref="AptSources.FromHost"/>).</summary>
    public AptSources? Sources { get; init; }

    /// <summary>The engine to import into; null is DOCKER_HOST.</summary>
    public string? DockerHost { get; init; }

    /// <summary>Where the root file system is made; null is a temporary directory.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>The docker CLI.</summary>
    public string DockerCli { get; init; } = DockerBuildRequest.DebianDockerCli;

    public BaseImageOptions WithDockerHost(string? host) => this with { DockerHost = host };
    public BaseImageOptions WithSources(AptSources sources) => this with { Sources = sources };
}

/// <summary>A local base image: its tag, id, size and how long it took.</summary>
public sealed record BaseImageResult(string Tag, string ImageId, long SizeBytes, TimeSpan Elapsed);

/// <summary>
/// Makes a Debian base image without a registry: <c>debootstrap --variant=minbase</c> from the host's configured apt mirror,
/// apt sources for main/updates/security, security updates applied, apt caches removed, then <c>docker import</c>.
/// </summary>
public static class BaseImageBuilder
{
    /// <summary>Builds the base image (needs root for debootstrap and chroot; about 30 s with a near mirror).</summary>
    public static async Task<BaseImageResult> CreateAsync(BaseImageOptions options, Action<string>? log = null, CancellationToken ct = default)
    {
        if (!Chroot.IsRoot)
            throw new TritonMesosException("making the base image needs root (debootstrap, chroot)",
                nextStep: "run as root, or pass an existing Debian bookworm image with --base-image");
        var clock = Stopwatch.StartNew();
        var sources = options.Sources ?? AptSources.FromHost(options.Suite);
        var work = Directory.CreateTempSubdirectory("triton-mesos-base-");
        if (options.WorkDirectory is not null)
        {
            work.Delete();
            work = Directory.CreateDirectory(Path.Combine(options.WorkDirectory, "base-" + Guid.NewGuid().ToString("N")[..8]));
        }
        var rootfs = Path.Combine(work.FullName, "rootfs");
        try
        {
            log?.Invoke($"debootstrap --variant=minbase {options.Suite} from {sources.Mirror}");
            await new HostCommand("debootstrap").WithArguments(["--variant=minbase", options.Suite, rootfs, sources.Mirror]).WithPurpose("debootstrap")
                .WithNextStep("apt-get install debootstrap; check the mirror in /etc/apt/sources.list").RunAsync(ct);
            await File.WriteAllTextAsync(Path.Combine(rootfs, "etc/apt/sources.list"), sources.SourcesList(options.Suite), ct);
            log?.Invoke("apt-get update && apt-get upgrade (security and point-release updates)");
            await Chroot.AptAsync(rootfs, ["update", "-q"], ct);
            await Chroot.AptAsync(rootfs, ["-y", "-q", "upgrade"], ct);
            Chroot.Clean(rootfs);
            log?.Invoke($"docker import → {options.Tag}");
            var id = await ImportAsync(rootfs, options.Tag, options.DockerHost, options.DockerCli, [], ct);
            var size = await ImageSizeAsync(options.Tag, options.DockerHost, options.DockerCli, ct);
            return new BaseImageResult(options.Tag, id, size, clock.Elapsed);
        }
        finally
        {
            TryDelete(work.FullName);
        }
    }

    /// <summary>
    /// <c>tar -C rootfs -c . | docker import [--change …] - tag</c>; returns the image id. Usable with any root file system
    /// (the tests import a busybox one).
    /// </summary>
    public static async Task<string> ImportAsync(string rootfs, string tag, string? dockerHost, string dockerCli = DockerBuildRequest.DebianDockerCli,
        IReadOnlyList<string>? changes = null, CancellationToken ct = default)
    {
        if (!Directory.Exists(rootfs))
            throw new TritonMesosException("root file system directory not found", rootfs);
        var importArgs = new List<string> { "import" };
        foreach (var change in changes ?? [])
            importArgs.AddRange(["--change", change]);
        importArgs.AddRange(["-", tag]);
        var tar = Cli.Wrap("tar").WithArguments(["--numeric-owner", "-C", rootfs, "-c", "."]);
        var import = Cli.Wrap(dockerCli).WithArguments(importArgs)
            .WithEnvironmentVariables(DockerCommand.Environment(dockerHost))
            .WithValidation(CommandResultValidation.None);
        var result = await (tar | import).ExecuteBufferedAsync(ct);
        if (result.ExitCode != 0)
            throw new TritonMesosException($"docker import of {rootfs} as {tag} failed: {result.StandardError.Trim()}",
                nextStep: $"check that the engine answers: DOCKER_HOST={dockerHost ?? "<unset>"} {dockerCli} version");
        return result.StandardOutput.Trim();
    }

    /// <summary>The size of a local image in bytes.</summary>
    public static async Task<long> ImageSizeAsync(string tag, string? dockerHost, string dockerCli, CancellationToken ct = default)
    {
        var text = await DockerCommand.For(dockerCli, dockerHost, ["image", "inspect", "--format", "{{.Size}}", tag])
            .WithPurpose($"docker image inspect {tag}").RunAsync(ct);
        return long.Parse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void TryDelete(string path)
    {
        try { Directory.Delete(path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
