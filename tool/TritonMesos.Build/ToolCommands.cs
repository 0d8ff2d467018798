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

    /// <summary>Removes each null value together with the <c>--option</c> right before it; a null after a value is simply dropped.</summary>
    public static IReadOnlyList<string> DropUnset(IReadOnlyList<string?> args)
    {
        var result = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is null)
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
