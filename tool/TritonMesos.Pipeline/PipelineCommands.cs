using System.CommandLine;

namespace TritonMesos.Pipeline;

/// <summary>The <c>triton-mesos</c> commands of the Pipeline area.</summary>
public sealed class PipelineCommands : ICommandProvider
{
    public IEnumerable<Command> CreateCommands() => [];
}
