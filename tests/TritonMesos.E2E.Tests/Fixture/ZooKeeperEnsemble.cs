using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace TritonMesos.E2E.Tests.Fixture;

/// <summary>One server of a <see cref="ZooKeeperEnsemble"/>: its id (myid), its ports on 127.0.0.1 and its files.</summary>
public sealed record ZooKeeperNode(int Id, int ClientPort, int QuorumPort, int ElectionPort, string Directory)
{
    /// <summary>zoo.cfg of this server.</summary>
    public string ConfigPath => Path.Combine(Directory, "zoo.cfg");

    /// <summary>dataDir (snapshots, transaction log, myid).</summary>
    public string DataDir => Path.Combine(Directory, "data");

    /// <summary>127.0.0.1:clientPort</summary>
    public string Address => $"127.0.0.1:{ClientPort}";
}

/// <summary>
/// A ZooKeeper ensemble from Debian's <c>zookeeper</c> package: one plain JVM process per server
/// (<c>java -cp /usr/share/java/zookeeper.jar:… org.apache.zookeeper.server.quorum.QuorumPeerMain zoo.cfg</c>), each with
/// its own zoo.cfg, dataDir and myid and its client, quorum and election ports on 127.0.0.1; no system service. Servers can
/// be stopped and started again one by one on the same dataDir.
/// </summary>
public sealed class ZooKeeperEnsemble : IAsyncDisposable
{
    /// <summary>Debian's ZooKeeper jar (its manifest's Class-Path names the libraries it needs).</summary>
    public const string Jar = "/usr/share/java/zookeeper.jar";

    /// <summary>An SLF4J binding from libslf4j-java (a dependency of the package), so the servers log to stdout.</summary>
    public const string LoggingJar = "/usr/share/java/slf4j-simple.jar";

    /// <summary>Milliseconds of one ZooKeeper tick (the package's default); session timeouts are 2-20 ticks.</summary>
    public const int TickMs = 2000;

    private readonly Dictionary<int, Process> _running = [];
    private readonly string _logDir;
    private readonly Action<string> _log;

    /// <summary>The servers, by id 1..n.</summary>
    public IReadOnlyList<ZooKeeperNode> Nodes { get; }

    /// <summary>host:port,host:port,… of every server, as clients and Mesos take it.</summary>
    public string ConnectString => string.Join(',', Nodes.Select(n => n.Address));

    /// <summary>Mesos' ZooKeeper URL for a znode, e.g. <c>zk://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3/mesos</c>.</summary>
    public string Url(string znode) => $"zk://{ConnectString}{znode}";

    private ZooKeeperEnsemble(IReadOnlyList<ZooKeeperNode> nodes, string logDir, Action<string> log)
    {
        Nodes = nodes;
        _logDir = logDir;
        _log = log;
    }

    /// <summary>Why an ensemble cannot run here (no java or no zookeeper package), or null.</summary>
    public static string? Unavailable()
    {
        if (!File.Exists(Jar))
            return $"no {Jar} (apt-get install zookeeper)";
        if (!File.Exists(LoggingJar))
            return $"no {LoggingJar} (apt-get install libslf4j-java)";
        return Java() is null ? "no java on PATH (apt-get install default-jre-headless)" : null;
    }

    private static string? Java() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "java")).FirstOrDefault(File.Exists);

    /// <summary>Writes the servers' configurations under <paramref name="root"/>, starts them, and waits (bounded) for a leader.</summary>
    public static async Task<ZooKeeperEnsemble> StartAsync(string root, string logDir, Action<string> log, int size = 3)
    {
        Directory.CreateDirectory(logDir);
        var nodes = Enumerable.Range(1, size)
            .Select(id => new ZooKeeperNode(id, Ports.FreeLoopbackPort(), Ports.FreeLoopbackPort(), Ports.FreeLoopbackPort(), Path.Combine(root, $"zk{id}")))
            .ToList();
        foreach (var node in nodes)
        {
            Directory.CreateDirectory(node.DataDir);
            File.WriteAllText(Path.Combine(node.DataDir, "myid"), node.Id + "\n");
            File.WriteAllText(node.ConfigPath, Config(node, nodes));
        }
        var ensemble = new ZooKeeperEnsemble(nodes, logDir, log);
        try
        {
            foreach (var node in nodes)
                ensemble.Start(node.Id);
            await ensemble.WaitForQuorumAsync(TimeSpan.FromMinutes(2));
            return ensemble;
        }
        catch
        {
            await ensemble.DisposeAsync();
            throw;
        }
    }

    /// <summary>zoo.cfg: the package's default timing, loopback only, no admin server, the four-letter words the fixture reads.</summary>
    public static string Config(ZooKeeperNode node, IReadOnlyList<ZooKeeperNode> all)
    {
        var text = new StringBuilder()
            .Append($"tickTime={TickMs}\ninitLimit=10\nsyncLimit=5\n")
            .Append($"dataDir={node.DataDir}\n")
            .Append($"clientPortAddress=127.0.0.1\nclientPort={node.ClientPort}\n")
            .Append("admin.enableServer=false\n4lw.commands.whitelist=srvr,ruok\n");
        foreach (var n in all)
            text.Append($"server.{n.Id}=127.0.0.1:{n.QuorumPort}:{n.ElectionPort}\n");
        return text.ToString();
    }

    /// <summary>Whether server <paramref name="id"/>'s process is running.</summary>
    public bool IsRunning(int id) => _running.TryGetValue(id, out var p) && !p.HasExited;

    /// <summary>Starts server <paramref name="id"/> (again) on its dataDir; does not wait for it to join.</summary>
    public void Start(int id)
    {
        if (IsRunning(id))
            throw new InvalidOperationException($"ZooKeeper server {id} is already running");
        var node = Nodes[id - 1];
        var java = Java() ?? throw new InvalidOperationException("no java on PATH");
        var start = new ProcessStartInfo(java)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "-Xmx128m", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-cp", $"{Jar}:{LoggingJar}", "org.apache.zookeeper.server.quorum.QuorumPeerMain", node.ConfigPath,
            },
        };
        var log = new StreamWriter(new FileStream(Path.Combine(_logDir, $"zookeeper-{id}.log"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + java);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _running[id] = process;
        _log($"zookeeper {id}: started (pid {process.Id}, client {node.Address})");
    }

    /// <summary>Stops server <paramref name="id"/> (SIGTERM, bounded wait, then SIGKILL).</summary>
    public async Task StopAsync(int id)
    {
        if (!_running.Remove(id, out var process) || process.HasExited)
            return;
        Posix.Kill(process.Id, Posix.SigTerm);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        _log($"zookeeper {id}: stopped");
    }

    /// <summary>
    /// Server <paramref name="id"/>'s mode from the <c>srvr</c> four-letter word: leader, follower or standalone; "not serving"
    /// when it runs without a quorum; null when nothing answers.
    /// </summary>
    public async Task<string?> ModeAsync(int id)
    {
        var text = await FourLetterWordAsync(Nodes[id - 1].ClientPort, "srvr");
        if (text is null)
            return null;
        if (text.Contains("not currently serving", StringComparison.Ordinal))
            return "not serving";
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("Mode:", StringComparison.Ordinal));
        return line?["Mode:".Length..].Trim();
    }

    /// <summary>The servers' version from <c>srvr</c> (e.g. "3.8.0"), or null when none answers.</summary>
    public async Task<string?> VersionAsync()
    {
        foreach (var node in Nodes)
            if (await FourLetterWordAsync(node.ClientPort, "srvr") is { } text
                && text.Split('\n').FirstOrDefault(l => l.StartsWith("Zookeeper version:", StringComparison.Ordinal)) is { } line)
                return line["Zookeeper version:".Length..].Trim().Split(['-', ','])[0];
        return null;
    }

    /// <summary>Each server's mode, "id=mode" separated by spaces (for logs and failure messages).</summary>
    public async Task<string> ModesAsync()
    {
        var modes = new List<string>();
        foreach (var node in Nodes)
            modes.Add($"{node.Id}={await ModeAsync(node.Id) ?? "down"}");
        return string.Join(' ', modes);
    }

    /// <summary>Waits (bounded) until the running servers form a quorum: exactly one leader, every other running server a follower.</summary>
    public async Task WaitForQuorumAsync(TimeSpan timeout)
    {
        var last = "";
        await Wait.UntilAsync("a ZooKeeper leader with every running server following", timeout, async () =>
        {
            var running = Nodes.Where(n => IsRunning(n.Id)).ToList();
            var modes = new List<string?>();
            foreach (var node in running)
                modes.Add(await ModeAsync(node.Id));
            last = await ModesAsync();
            return running.Count * 2 > Nodes.Count && modes.Count(m => m == "leader") == 1 && modes.All(m => m is "leader" or "follower");
        }, TimeSpan.FromMilliseconds(500), () => last);
    }

    /// <summary>The id of the current leader, or null.</summary>
    public async Task<int?> LeaderAsync()
    {
        foreach (var node in Nodes)
            if (await ModeAsync(node.Id) == "leader")
                return node.Id;
        return null;
    }

    private static async Task<string?> FourLetterWordAsync(int port, string word)
    {
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await client.ConnectAsync("127.0.0.1", port, cts.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(word), cts.Token);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            return await reader.ReadToEndAsync(cts.Token);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _running.Keys.ToList())
            await StopAsync(id);
    }
}
