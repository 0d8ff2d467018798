using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using TritonMesos.TestSupport;

namespace TritonMesos.E2E.Tests.Fixture;

/// <summary>
/// A dockerd of this test's own (the shared engine must never be stopped): --bridge=none --iptables=false on a unix
/// socket under a short scratch directory. It can be stopped and started again on the same data root.
/// </summary>
public sealed class PrivateDockerd : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _logPath;
    private readonly bool _liveRestore;
    private Process? _process;

    /// <summary>unix:///…/docker.sock</summary>
    public string Host => "unix://" + SocketPath;

    /// <summary>The socket path.</summary>
    public string SocketPath => Path.Combine(_root, "docker.sock");

    /// <summary>
    /// The default-fabric subnet of an endpoint in front of this engine (<c>--default-fabric-subnet</c>): one of its own,
    /// so that no two engine bridges on this host share a subnet (the host routes to the containers of each).
    /// </summary>
    public string FabricSubnet { get; }

    private PrivateDockerd(string root, string logPath, bool liveRestore)
    {
        _root = root;
        _logPath = logPath;
        _liveRestore = liveRestore;
        FabricSubnet = TestSubnets.Free();
    }

    /// <summary>The endpoint options that give this engine's default fabric its own subnet.</summary>
    public string[] EndpointOptions => ["--default-fabric-subnet", FabricSubnet];

    /// <summary>Why a private dockerd cannot run here, or null.</summary>
    public static string? Unavailable()
    {
        if (!File.Exists("/usr/bin/dockerd") && !File.Exists("/usr/sbin/dockerd"))
            return "no dockerd binary (apt-get install docker.io)";
        if (Environment.UserName != "root")
            return "dockerd needs root";
        return null;
    }

    /// <summary>
    /// Starts one under a fresh short directory and waits (bounded) until it answers. With <paramref name="liveRestore"/>
    /// (dockerd's --live-restore) stopping the daemon leaves its containers running, so the engine can be "down" while a
    /// container still exists, as when a remote endpoint is unreachable.
    /// </summary>
    public static async Task<PrivateDockerd> StartAsync(string logPath, bool liveRestore = false)
    {
        // containerd's socket paths must stay under the unix socket length limit: keep the root short.
        var root = Path.Combine("/tmp", "tme2e-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(root);
        var dockerd = new PrivateDockerd(root, logPath, liveRestore);
        await dockerd.StartAgainAsync();
        return dockerd;
    }

    /// <summary>Starts the daemon (again) on the same data root and waits until `docker version` answers.</summary>
    public async Task StartAgainAsync()
    {
        var binary = File.Exists("/usr/bin/dockerd") ? "/usr/bin/dockerd" : "/usr/sbin/dockerd";
        var log = new StreamWriter(new FileStream(_logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "--data-root", Path.Combine(_root, "data"), "--exec-root", Path.Combine(_root, "exec"),
                "--pidfile", Path.Combine(_root, "dockerd.pid"), "--host", Host,
                "--bridge=none", "--iptables=false", "--ip6tables=false",
            },
        };
        if (_liveRestore)
            start.ArgumentList.Add("--live-restore");
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + binary);
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        await Wait.UntilAsync($"the private dockerd on {Host} to answer", TimeSpan.FromMinutes(2), async () =>
        {
            if (_process.HasExited)
                throw new FatalWaitException($"the private dockerd exited with {_process.ExitCode}; log: {_logPath}");
            var version = await Cli.Wrap("/usr/bin/docker").WithArguments(["-H", Host, "version", "--format", "{{.Server.Version}}"])
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
            return version.ExitCode == 0;
        });
    }

    /// <summary>Stops the daemon (SIGTERM, bounded wait, then SIGKILL).</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited)
            return;
        Posix.Kill(_process.Id, Posix.SigTerm);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Copies an image from another engine into this one (docker save | docker load).</summary>
    public async Task LoadImageAsync(string fromHost, string image)
    {
        var tar = Path.Combine(_root, "image.tar");
        await Cli.Wrap("/usr/bin/docker").WithArguments(["-H", fromHost, "save", "-o", tar, image]).ExecuteBufferedAsync();
        await Cli.Wrap("/usr/bin/docker").WithArguments(["-H", Host, "load", "-i", tar]).ExecuteBufferedAsync();
        File.Delete(tar);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null && !_process.HasExited)
        {
            // Remove what runs on it first, so the daemon leaves no containerd shims behind.
            await Cli.Wrap("/bin/sh").WithArguments(["-c", $"/usr/bin/docker -H {Host} ps -aq | xargs -r /usr/bin/docker -H {Host} rm -f"])
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
            // Its bridge networks too: a stopped dockerd leaves their br-* devices (and routes) on the host.
            await Cli.Wrap("/bin/sh").WithArguments(["-c", $"/usr/bin/docker -H {Host} network ls -q --filter driver=bridge | xargs -r /usr/bin/docker -H {Host} network rm"])
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        }
        await StopAsync();
        try
        {
            // Overlay mounts are gone with the daemon; what is left is plain files.
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception)
        {
            // A busy leftover under /tmp is not worth failing a test for.
        }
    }
}

/// <summary>kill(2).</summary>
internal static class Posix
{
    public const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);
}
