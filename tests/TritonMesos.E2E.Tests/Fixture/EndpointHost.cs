using System.CommandLine;
using System.Text;

namespace TritonMesos.E2E.Tests.Fixture;

/// <summary>
/// <c>triton-mesos endpoint --listen tcp://127.0.0.1:PORT --engine … --tls-cert-dir DIR</c>, run in-process through the
/// Endpoint area's command (the same command line a user types), stopped by cancellation. Its console output is
/// appended to <see cref="LogPath"/>.
/// </summary>
public sealed class EndpointHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<int> _run;

    /// <summary>The port on 127.0.0.1 the endpoint listens on.</summary>
    public int Port { get; }

    /// <summary>The <c>tcp://127.0.0.1:PORT</c> URL an agent's <c>--docker_socket</c> points at.</summary>
    public string Url => $"tcp://127.0.0.1:{Port}";

    /// <summary>The engine it forwards to.</summary>
    public string Engine { get; }

    /// <summary>Where this endpoint's console output goes.</summary>
    public string LogPath { get; }

    private EndpointHost(int port, string engine, string logPath, Task<int> run, CancellationTokenSource stop)
    {
        Port = port;
        Engine = engine;
        LogPath = logPath;
        _run = run;
        _stop = stop;
    }

    /// <summary>Starts the endpoint (with further command-line <paramref name="options"/>) and waits (bounded) until it accepts connections.</summary>
    public static async Task<EndpointHost> StartAsync(string engine, string? tlsCertDir, string logPath, TimeSpan timeout, params string[] options)
    {
        var port = Ports.FreeLoopbackPort();
        var root = new RootCommand();
        foreach (var command in new TritonMesos.Endpoint.EndpointCommands().CreateCommands())
            root.Subcommands.Add(command);
        if (!root.Subcommands.Any(c => c.Name == "endpoint"))
            throw new InvalidOperationException("the Endpoint area has no `endpoint` command yet (tool/TritonMesos.Endpoint/EndpointCommands.cs)");

        List<string> args = ["endpoint", "--listen", $"tcp://127.0.0.1:{port}", "--engine", engine];
        if (tlsCertDir is not null)
            args.AddRange(["--tls-cert-dir", tlsCertDir]);
        // No registry is reachable from these tests: the endpoint answers pulls of images the engine holds itself.
        args.AddRange(["--registry", "none", .. options]);

        ConsoleTee.Route(logPath);
        File.AppendAllText(logPath, $"# {DateTime.UtcNow:O} triton-mesos {string.Join(' ', args)}\n");
        var stop = new CancellationTokenSource();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
            throw new InvalidOperationException("`triton-mesos " + string.Join(' ', args) + "` does not parse: " + string.Join("; ", parse.Errors.Select(e => e.Message)));
        var run = Task.Run(() => parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, stop.Token));
        var host = new EndpointHost(port, engine, logPath, run, stop);

        var deadline = DateTime.UtcNow + timeout;
        while (!await Ports.IsListeningAsync(port))
        {
            if (run.IsCompleted)
            {
                var exit = run.IsFaulted ? run.Exception!.GetBaseException().Message : "exit code " + run.Result;
                throw new InvalidOperationException($"the endpoint stopped before listening ({exit}); log: {logPath}");
            }
            if (DateTime.UtcNow > deadline)
            {
                await host.DisposeAsync();
                throw new TimeoutException($"the endpoint did not listen on 127.0.0.1:{port} within {timeout.TotalSeconds:0} s; log: {logPath}");
            }
            await Task.Delay(200);
        }
        return host;
    }

    /// <summary>The last <paramref name="lines"/> lines of this endpoint's log.</summary>
    public string Tail(int lines = 40)
    {
        if (!File.Exists(LogPath))
            return "";
        var all = ConsoleTee.ReadShared(LogPath).Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (Exception)
        {
            // Cancellation surfaces as an exception or a non-zero exit; either way the listener is gone or abandoned.
        }
        _stop.Dispose();
    }
}

/// <summary>Copies this process's console output into a log file (the in-process endpoint writes to the console).</summary>
internal static class ConsoleTee
{
    private static readonly object Gate = new();
    private static string? _path;

    public static void Route(string path)
    {
        lock (Gate)
        {
            if (_path is null)
            {
                Console.SetOut(new TeeWriter(Console.Out, () => _path));
                Console.SetError(new TeeWriter(Console.Error, () => _path));
            }
            _path = path;
        }
    }

    public static string ReadShared(string path)
    {
        lock (Gate)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }

    private sealed class TeeWriter(TextWriter inner, Func<string?> path) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(string? value)
        {
            if (value is null)
                return;
            inner.Write(value);
            lock (Gate)
            {
                var target = path();
                if (target is not null)
                    File.AppendAllText(target, value);
            }
        }

        public override void WriteLine(string? value) => Write(value + Environment.NewLine);
    }
}
