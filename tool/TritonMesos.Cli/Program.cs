using System.CommandLine;
using TritonMesos;

var root = new RootCommand("triton-mesos: Apache Mesos with the Triton patch series, its agent image and a Triton-compatible Docker endpoint.");
ICommandProvider[] providers =
[
    new TritonMesos.Pipeline.PipelineCommands(),
    new TritonMesos.Image.ImageCommands(),
    new TritonMesos.Endpoint.EndpointCommands(),
    new TritonMesos.Report.ReportCommands(),
];
foreach (var provider in providers)
    foreach (var command in provider.CreateCommands())
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
catch (OperationCanceledException)
{
    Console.Error.WriteLine("error: cancelled");
    return 130;
}
