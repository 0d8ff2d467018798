namespace TritonMesos.Pipeline.Tests;

/// <summary>
/// The entry point of this assembly when started with <c>dotnet TritonMesos.Pipeline.Tests.dll apply …</c>: the pipeline
/// commands exactly as the CLI registers them, without the other areas' projects, so a test can kill a real run.
/// </summary>
public static class PipelineHost
{
    public static Task<int> Main(string[] args) =>
        CommandLineHost.RunAsync(
            CommandLineHost.CreateRoot("triton-mesos pipeline commands (test host)", [new PipelineCommands()]), args);
}
