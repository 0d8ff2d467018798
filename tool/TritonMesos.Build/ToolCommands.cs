using System.CommandLine;

namespace TritonMesos.Build;

/// <summary>Runs a <c>triton-mesos</c> command in-process, exactly as the CLI would, from the command providers of the tool areas.</summary>
public static class ToolCommands
{
    /// <summary>
    /// Invokes <c>triton-mesos &lt;args&gt;</c> with the given providers' commands; null arguments (and the option name
    /// before them) are dropped, so unset parameters keep the command's defaults. A non-zero exit fails the target.
    /// </summary>
    public static async Task InvokeAsync(IEnumerable<ICommandProvider> providers, params string?[] args)
    {
        var root = CommandLineHost.CreateRoot("triton-mesos", providers);
        var arguments = DropUnset(args);
        Log.Muted("> triton-mesos " + string.Join(" ", arguments));
        var exitCode = await root.Parse(arguments).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        if (exitCode != 0)
            throw new BuildException($"`triton-mesos {string.Join(" ", arguments)}` exited with code {exitCode}");
    }

    /// <summary>A switch (an option without a value): its name when on, otherwise an entry that is dropped on its own.</summary>
    /// <remarks>Unlike a null, an "off" switch never takes the <c>--option</c> before it along.</remarks>
    public static string Switch(bool on, string name) => on ? name : SwitchOff;

    private const string SwitchOff = "\u0000switch-off";

    /// <summary>Removes each null value together with the <c>--option</c> right before it, and every switch that is off.</summary>
    public static IReadOnlyList<string> DropUnset(IReadOnlyList<string?> args)
    {
        var result = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is null or SwitchOff)
                continue;
            if (args[i]!.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Count && args[i + 1] is null)
            {
                i++;
                continue;
            }
            result.Add(args[i]!);
        }
        return result;
    }
}
