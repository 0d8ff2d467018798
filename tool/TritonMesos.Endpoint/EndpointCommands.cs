using System.CommandLine;

namespace TritonMesos.Endpoint;

/// <summary>The <c>triton-mesos</c> commands of the Endpoint area.</summary>
public sealed class EndpointCommands : ICommandProvider
{
    public IEnumerable<Command> CreateCommands() => [];
}
