using System.Diagnostics;
using System.Text.Json;
using TritonMesos.E2E.Tests.Fixture;

namespace TritonMesos.E2E.Tests.Frameworks;

/// <summary>
/// tobilg's <c>mesos-framework</c> (npm, a third-party Mesos framework library, pinned in
/// <c>Frameworks/mesos-framework-js/package-lock.json</c>) running one app definition as a separate node process. The
/// library is used as is; the app definition prints each status update as <c>STATUS &lt;json&gt;</c>. Closing stdin
/// tears the framework down.
/// </summary>
public sealed class NodeFramework : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<JsonElement> _statuses = [];
    private readonly List<string> _lines = [];
    private readonly string _logPath;

    private NodeFramework(Process process, string logPath)
    {
        _process = process;
        _logPath = logPath;
    }

    /// <summary>The directory of the app definitions (copied next to the test assembly).</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Frameworks", "mesos-framework-js");

    /// <summary>Why the library cannot run here (no node or npm, or `npm ci` failed), or null when it can.</summary>
    public static async Task<string?> UnavailableReasonAsync()
    {
        if (FindOnPath("node") is null || FindOnPath("npm") is null)
            return "node and npm are not on PATH: the third-party framework (npm mesos-framework) cannot run (apt-get install nodejs npm)";
        if (File.Exists(Path.Combine(Directory, "node_modules", "mesos-framework", "package.json")))
            return null;
        var (code, output) = await RunAsync("npm", "ci --no-audit --no-fund", Directory);
        return code == 0 ? null : $"`npm ci` in {Directory} failed (exit {code}): {output}";
    }

    /// <summary>Starts <paramref name="script"/> with <paramref name="environment"/>; its output goes to <paramref name="logPath"/>.</summary>
    public static NodeFramework Start(string script, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        // The library's logger writes logs/mesos-framework.log relative to the working directory and dies without it.
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "logs"));
        var info = new ProcessStartInfo("node", script)
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start node " + script);
        var framework = new NodeFramework(process, logPath);
        process.OutputDataReceived += (_, e) => framework.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => framework.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return framework;
    }

    /// <summary>Every status update received so far (v1 TaskStatus JSON).</summary>
    public IReadOnlyList<JsonElement> Statuses
    {
        get
        {
            lock (_statuses)
                return [.. _statuses];
        }
    }

    /// <summary>The last lines the process printed (for failure messages).</summary>
    public string Tail(int count = 30)
    {
        lock (_lines)
            return string.Join('\n', _lines.TakeLast(count));
    }

    /// <summary>Whether the node process has exited.</summary>
    public bool HasExited => _process.HasExited;

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_lines)
        {
            _lines.Add(line);
            File.AppendAllText(_logPath, line + "\n");
        }
        if (!line.StartsWith("STATUS ", StringComparison.Ordinal))
            return;
        using var document = JsonDocument.Parse(line["STATUS ".Length..]);
        lock (_statuses)
            _statuses.Add(document.RootElement.Clone());
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    private static async Task<(int Code, string Output)> RunAsync(string program, string arguments, string directory)
    {
        var info = new ProcessStartInfo(program, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await output + await error).Trim());
    }

    /// <summary>Tears the framework down (stdin closed: the app definition sends TEARDOWN), then kills it if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
