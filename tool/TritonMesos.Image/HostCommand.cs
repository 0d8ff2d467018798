using CliWrap;
using CliWrap.Buffered;
using CliWrap.EventStream;

namespace TritonMesos.Image;

/// <summary>Runs host commands (docker CLI, tar, chroot, debootstrap) and turns failures into <see cref="TritonMesosException"/>.</summary>
internal static class HostCommand
{
    public static async Task<string> RunAsync(string program, IEnumerable<string> args, string what,
        IReadOnlyDictionary<string, string?>? env = null, CancellationToken ct = default, string? nextStep = null)
    {
        BufferedCommandResult result;
        try
        {
            result = await Cli.Wrap(program).WithArguments(args)
                .WithEnvironmentVariables(env ?? new Dictionary<string, string?>())
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(ct);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new TritonMesosException($"{what}: cannot run {program}: {e.Message}", nextStep: nextStep, inner: e);
        }
        if (result.ExitCode != 0)
        {
            var output = (result.StandardError + "\n" + result.StandardOutput).Trim().Split('\n');
            throw new TritonMesosException(
                $"{what} failed (exit code {result.ExitCode}):\n" + string.Join('\n', output.Skip(Math.Max(0, output.Length - 30)).Select(l => "    | " + l)),
                nextStep: nextStep);
        }
        return result.StandardOutput;
    }

    /// <summary>Runs a command, handing every stdout and stderr line to <paramref name="onLine"/>; returns the exit code.</summary>
    public static async Task<int> StreamAsync(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string?> env,
        Action<string> onLine, CancellationToken ct = default)
    {
        var exitCode = -1;
        var command = Cli.Wrap(program).WithArguments(args).WithEnvironmentVariables(env).WithValidation(CommandResultValidation.None);
        await foreach (var e in command.ListenAsync(ct))
        {
            switch (e)
            {
                case StandardOutputCommandEvent o: onLine(o.Text); break;
                case StandardErrorCommandEvent o: onLine(o.Text); break;
                case ExitedCommandEvent x: exitCode = x.ExitCode; break;
            }
        }
        return exitCode;
    }

    public static IReadOnlyDictionary<string, string?> DockerEnv(string? dockerHost) =>
        dockerHost is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["DOCKER_HOST"] = dockerHost };

    /// <summary>True when the process runs as root (debootstrap and chroot need it).</summary>
    public static bool IsRoot => Environment.UserName == "root";
}
