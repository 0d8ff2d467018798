using System.Security.Cryptography;
using System.Text;

namespace TritonMesos.Image;

/// <summary>The Debian packages Dockerfile.slave installs from its build context (docs/image.md explains each list).</summary>
public static class DebPackages
{
    /// <summary>Mesos build dependencies (autotools against system protobuf, gRPC, ZooKeeper, libarchive, re2), plus curl for Mesos' HTTP check tests.</summary>
    public static readonly IReadOnlyList<string> Build =
    [
        "build-essential", "autoconf", "automake", "libtool", "patch", "libcurl4-openssl-dev", "libapr1-dev", "libsvn-dev",
        "libsasl2-dev", "libsasl2-modules", "zlib1g-dev", "libssl-dev", "libprotobuf-dev", "protobuf-compiler", "libgrpc++-dev",
        "protobuf-compiler-grpc", "libzookeeper-mt-dev", "libarchive-dev", "libre2-dev", "ccache", "curl",
    ];

    /// <summary>Shared libraries the Mesos binaries link, tini (PID 1), and curl (the Docker executor's HTTP health checks).</summary>
    public static readonly IReadOnlyList<string> Runtime =
    [
        "libcurl4", "libapr1", "libsvn1", "libsasl2-2", "libsasl2-modules", "zlib1g", "libssl3", "libprotobuf32", "libgrpc++1.51",
        "libgrpc29", "libzookeeper-mt2", "libarchive13", "libre2-9", "tini", "curl",
    ];

    /// <summary>Only its docker CLI (20.10, API ≤ 1.41, falls back to 1.24 against Triton) is taken, not the daemon.</summary>
    public const string DockerCli = "docker.io";

    /// <summary>A key for the package set fetched for one base image.</summary>
    public static string Key(string baseImageId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            baseImageId + "\n" + string.Join(' ', Build) + "\n" + string.Join(' ', Runtime) + "\n" + DockerCli)))[..16];
}

/// <summary>
/// Fetches the .deb files into a build context on the host side (builds here run with <c>--network none</c>): the base
/// image's file system is exported and <c>apt-get install --download-only</c> runs in a chroot of it, so the packages match
/// the base image exactly. Cached per base image id and package list.
/// </summary>
public static class DebFetcher
{
    /// <summary>Ensures <c>&lt;debsDirectory&gt;/{build,runtime,extract}</c> hold the packages for <paramref name="baseImage"/>.</summary>
    public static async Task FetchAsync(string baseImage, string debsDirectory, string? dockerHost, string dockerCli,
        Action<string>? log = null, CancellationToken ct = default)
    {
        var env = DockerCommand.Environment(dockerHost);
        var imageId = (await DockerCommand.For(dockerCli, dockerHost, ["image", "inspect", "--format", "{{.Id}}", baseImage])
            .WithPurpose($"docker image inspect {baseImage}")
            .WithNextStep("make it with `./build.sh BaseImage` (triton-mesos base-image) or pass --base-image").RunAsync(ct)).Trim();
        var key = DebPackages.Key(imageId);
        var marker = Path.Combine(debsDirectory, ".fetched");
        if (File.Exists(marker) && (await File.ReadAllTextAsync(marker, ct)).Trim() == key)
        {
            log?.Invoke($"packages for {baseImage} already fetched ({debsDirectory})");
            return;
        }
        if (!Chroot.IsRoot)
            throw new TritonMesosException("fetching the .deb files needs root (chroot into the base image's file system)",
                nextStep: "run as root once; later builds reuse the fetched packages");

        if (Directory.Exists(debsDirectory))
            Directory.Delete(debsDirectory, recursive: true);
        var work = Directory.CreateTempSubdirectory("triton-mesos-debs-");
        var rootfs = Path.Combine(work.FullName, "rootfs");
        Directory.CreateDirectory(rootfs);
        try
        {
            log?.Invoke($"exporting {baseImage} to fetch packages with its apt configuration");
            var container = (await DockerCommand.For(dockerCli, dockerHost, ["create", baseImage, "/bin/true"]).WithPurpose("docker create").RunAsync(ct)).Trim();
            try
            {
                var export = CliWrap.Cli.Wrap(dockerCli).WithArguments(["export", container]).WithEnvironmentVariables(env);
                var untar = CliWrap.Cli.Wrap("tar").WithArguments(["-C", rootfs, "-x"]);
                await (export | untar).ExecuteAsync(ct);
            }
            finally
            {
                await DockerCommand.For(dockerCli, dockerHost, ["rm", container]).WithPurpose("docker rm").RunAsync(CancellationToken.None);
            }
            var archives = Path.Combine(rootfs, "var/cache/apt/archives");
            await Chroot.AptAsync(rootfs, ["update", "-q"], ct);
            foreach (var (name, packages) in new[] { ("build", DebPackages.Build), ("runtime", DebPackages.Runtime) })
            {
                log?.Invoke($"apt-get install --download-only ({name}: {packages.Count} packages and their dependencies)");
                await Chroot.AptAsync(rootfs, ["clean"], ct);
                await Chroot.AptAsync(rootfs, ["install", "-y", "-q", "--no-install-recommends", "--download-only", .. packages], ct);
                MoveDebs(archives, Path.Combine(debsDirectory, name));
            }
            log?.Invoke($"apt-get download {DebPackages.DockerCli}");
            await new HostCommand("chroot").WithArguments([rootfs, "sh", "-c", $"cd /tmp && apt-get download -q {DebPackages.DockerCli}"])
                .WithPurpose("apt-get download docker.io").RunAsync(ct);
            MoveDebs(Path.Combine(rootfs, "tmp"), Path.Combine(debsDirectory, "extract"));
            await File.WriteAllTextAsync(marker, key + "\n", ct);
        }
        finally
        {
            try { Directory.Delete(work.FullName, recursive: true); }
            catch (IOException) { }
        }
    }

    private static void MoveDebs(string from, string to)
    {
        Directory.CreateDirectory(to);
        var moved = 0;
        foreach (var deb in Directory.EnumerateFiles(from, "*.deb"))
        {
            File.Move(deb, Path.Combine(to, Path.GetFileName(deb)), overwrite: true);
            moved++;
        }
        if (moved == 0)
            throw new TritonMesosException($"apt downloaded no packages into {from}", to);
    }
}
