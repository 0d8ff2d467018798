using System.CommandLine;

namespace TritonMesos;

/// <summary>Builds and runs the <c>triton-mesos</c> command line from the areas' command providers; the one place that renders user errors.</summary>
public static class CommandLineHost
{
    /// <summary>A root command holding every command of the given providers.</summary>
    public static RootCommand CreateRoot(string description, IEnumerable<ICommandProvider> providers)
    {
        var root = new RootCommand(description);
        foreach (var provider in providers)
            foreach (var command in provider.CreateCommands())
                root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Invokes <paramref name="args"/>; a <see cref="TritonMesosException"/> is printed as <c>error: …</c> and becomes its exit code.</summary>
    public static async Task<int> RunAsync(RootCommand root, IReadOnlyList<string> args)
    {
        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (TritonMesosException e)
        {
            Console.Error.WriteLine("error: " + e.Render());
            return e.ExitCode;
        }
    }
}
