using TritonMesos;

var root = CommandLineHost.CreateRoot(
    "triton-mesos: Apache Mesos with the Triton patch series, its agent image and a Triton-compatible Docker endpoint.",
    [
        new TritonMesos.Pipeline.PipelineCommands(),
        new TritonMesos.Image.ImageCommands(),
        new TritonMesos.Endpoint.EndpointCommands(),
        new TritonMesos.Report.ReportCommands(),
    ]);
try
{
    return await CommandLineHost.RunAsync(root, args);
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("error: cancelled");
    return 130;
}
