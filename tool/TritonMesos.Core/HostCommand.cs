using System.Diagnostics;
using System.Text;
using CliWrap;
using CliWrap.EventStream;

namespace TritonMesos;

/// <summary>The outcome of one host command: its exit code and captured output.</summary>
public sealed record CommandOutput(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>True when the command exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>stderr (or stdout when stderr is empty), trimmed, for messages.</summary>
    public string Diagnostics => (StandardError.Trim().Length > 0 ? StandardError : StandardOutput).Trim();
}

/// <summary>
/// A host program to run (git, docker, dotnet, tar, chroot…): arguments, directory, environment, input and what a
/// failure tells the user. Immutable; <c>With…</c> returns a copy. The one runner of external processes in the tool.
/// </summary>
public sealed record HostCommand(string Program)
{
    /// <summary>Lines of output a failure message quotes.</summary>
    private const int QuotedLines = 30;

    /// <summary>The arguments, unquoted.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The working directory; null is the current one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables set (or, with a null value, removed) on top of this process's environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Text written to the command's standard input.</summary>
    public string? StandardInput { get; init; }

    /// <summary>Receives each stdout and stderr line as it arrives (the output is still captured).</summary>
    public Action<string>? OutputLines { get; init; }

    /// <summary>What the command does, for failure messages ("docker image inspect x"); default the command line.</summary>
    public string? Purpose { get; init; }

    /// <summary>What the user can do when the command fails or cannot start.</summary>
    public string? NextStep { get; init; }

    public HostCommand WithArguments(IEnumerable<string> arguments) => this with { Arguments = arguments.ToList() };
    public HostCommand WithWorkingDirectory(string? directory) => this with { WorkingDirectory = directory };
    public HostCommand WithStandardInput(string? input) => this with { StandardInput = input };
    public HostCommand WithOutputLines(Action<string>? onLine) => this with { OutputLines = onLine };
    public HostCommand WithPurpose(string? purpose) => this with { Purpose = purpose };
    public HostCommand WithNextStep(string? nextStep) => this with { NextStep = nextStep };

    /// <summary>Adds (or replaces) environment variables.</summary>
    public HostCommand WithEnvironment(IReadOnlyDictionary<string, string?>? variables)
    {
        var merged = new Dictionary<string, string?>(Environment);
        foreach (var (key, value) in variables ?? new Dictionary<string, string?>())
            merged[key] = value;
        return this with { Environment = merged };
    }

    /// <summary>The command as a shell would show it (arguments with spaces or quotes quoted).</summary>
    public string CommandLine =>
        string.Join(" ", new[] { Program }.Concat(Arguments).Select(a =>
            a.Length == 0 || a.Any(char.IsWhiteSpace) || a.Contains('"') ? $"\"{a.Replace("\"", "\\\"")}\"" : a));

    /// <summary>Runs to completion with the output captured; never throws on a non-zero exit.</summary>
    public async Task<CommandOutput> TryRunAsync(CancellationToken cancellationToken = default)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var command = Wrap()
            .WithStandardOutputPipe(Capture(stdout))
            .WithStandardErrorPipe(Capture(stderr));
        var result = await StartAsync(async () => await command.ExecuteAsync(cancellationToken));
        return new CommandOutput(result.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs to completion and returns stdout; a non-zero exit throws <see cref="Failure"/>.</summary>
    public async Task<string> RunAsync(CancellationToken cancellationToken = default)
    {
        var output = await TryRunAsync(cancellationToken);
        return output.Succeeded ? output.StandardOutput : throw Failure(output);
    }

    /// <summary>Hands every stdout and stderr line to <paramref name="onLine"/> without keeping them (long builds); returns the exit code.</summary>
    public async Task<int> StreamAsync(Action<string> onLine, CancellationToken cancellationToken = default)
    {
        var exitCode = -1;
        await StartAsync(async () =>
        {
            await foreach (var e in Wrap().ListenAsync(cancellationToken))
            {
                switch (e)
                {
                    case StandardOutputCommandEvent o: onLine(o.Text); break;
                    case StandardErrorCommandEvent o: onLine(o.Text); break;
                    case ExitedCommandEvent x: exitCode = x.ExitCode; break;
                }
            }
            return 0;
        });
        return exitCode;
    }

    /// <summary>Runs with this process's console (progress and colours reach the user unchanged); echoes the command line to <paramref name="echo"/> first; returns the exit code.</summary>
    public async Task<int> RunInConsoleAsync(Action<string>? echo = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(Program) { UseShellExecute = false, WorkingDirectory = WorkingDirectory ?? "" };
        foreach (var argument in Arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in Environment)
            start.Environment[key] = value;
        echo?.Invoke("> " + CommandLine);
        using var process = await StartAsync(() => Task.FromResult(Process.Start(start) ?? throw NotStarted(null)));
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

    /// <summary>The error for a non-zero exit: what failed, where, the exit code and the output's last lines.</summary>
    public TritonMesosException Failure(CommandOutput output)
    {
        var lines = (output.StandardError + "\n" + output.StandardOutput).Trim().Split('\n');
        var quoted = lines.Length == 1 && lines[0].Length == 0 ? ""
            : ":\n" + string.Join('\n', lines.Skip(Math.Max(0, lines.Length - QuotedLines)).Select(l => "    | " + l.TrimEnd('\r')));
        return new TritonMesosException($"{Purpose ?? $"`{CommandLine}`"} failed{(WorkingDirectory is null ? "" : $" in {WorkingDirectory}")} " +
                                        $"(exit code {output.ExitCode}){quoted}", nextStep: NextStep, exitCode: output.ExitCode);
    }

    /// <summary>The error for an exit code alone (output not captured).</summary>
    public TritonMesosException Failure(int exitCode) => Failure(new CommandOutput(exitCode, "", ""));

    /// <summary>The output byte for byte into <paramref name="text"/>, and line by line to <see cref="OutputLines"/> when set.</summary>
    private PipeTarget Capture(StringBuilder text) =>
        OutputLines is null
            ? PipeTarget.ToStringBuilder(text, Encoding.UTF8)
            : PipeTarget.Merge(PipeTarget.ToStringBuilder(text, Encoding.UTF8), PipeTarget.ToDelegate(OutputLines, Encoding.UTF8));

    private Command Wrap()
    {
        var command = Cli.Wrap(Program)
            .WithArguments(Arguments)
            .WithEnvironmentVariables(Environment)
            .WithValidation(CommandResultValidation.None);
        if (WorkingDirectory is not null)
            command = command.WithWorkingDirectory(WorkingDirectory);
        if (StandardInput is not null)
            command = command.WithStandardInputPipe(PipeSource.FromString(StandardInput, new UTF8Encoding(false)));
        return command;
    }

    private async Task<T> StartAsync<T>(Func<Task<T>> run)
    {
        try
        {
            return await run();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw NotStarted(e);
        }
    }

    private TritonMesosException NotStarted(Exception? e) =>
        new($"cannot run {Program}{(e is null ? "" : ": " + e.Message)}", nextStep: NextStep ?? $"install {Program} or put it on PATH", inner: e);
}
