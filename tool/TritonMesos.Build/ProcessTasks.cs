using System.Diagnostics;

namespace TritonMesos.Build;

/// <summary>A tool process that exited with a non-zero code.</summary>
public sealed class ProcessException(string command, int exitCode)
    : Exception($"`{command}` exited with code {exitCode}")
{
    /// <summary>The command line as printed.</summary>
    public string Command { get; } = command;

    /// <summary>The process's exit code.</summary>
    public int ExitCode { get; } = exitCode;
}

/// <summary>Runs tools with the console inherited, so their progress and colours reach the user unchanged.</summary>
public static class ProcessTasks
{
    /// <summary>Runs a process to completion; echoes the command first; returns the exit code.</summary>
    public static async Task<int> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(fileName) { UseShellExecute = false, WorkingDirectory = workingDirectory ?? "" };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            start.Environment[key] = value;
        Log.Muted("> " + Display(fileName, start.ArgumentList));
        using var process = Process.Start(start) ?? throw new BuildException($"could not start {fileName}");
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return process.ExitCode;
    }

    /// <summary>Runs a process and throws <see cref="ProcessException"/> when it exits non-zero.</summary>
    public static async Task RunCheckedAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        var list = arguments.ToList();
        var exitCode = await RunAsync(fileName, list, workingDirectory, environment, cancellationToken);
        if (exitCode != 0)
            throw new ProcessException(Display(fileName, list), exitCode);
    }

    /// <summary>The command as a shell would show it (arguments with spaces quoted).</summary>
    public static string Display(string fileName, IEnumerable<string> arguments) =>
        string.Join(" ", new[] { fileName }.Concat(arguments).Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) || a.Contains('"') ? $"\"{a.Replace("\"", "\\\"")}\"" : a));
}
