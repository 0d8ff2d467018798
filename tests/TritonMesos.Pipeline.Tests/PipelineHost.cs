using System.CommandLine;

namespace TritonMesos.Pipeline.Tests;

/// <summary>
/// The entry point of this assembly when started with <c>dotnet TritonMesos.Pipeline.Tests.dll apply …</c>: the pipeline
/// commands exactly as the CLI registers them, without the other areas' projects, so a test can kill a real run.
/// </summary>
public static class PipelineHost
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("triton-mesos pipeline commands (test host)");
        foreach (var command in new PipelineCommands().CreateCommands())
            root.Subcommands.Add(command);
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
