using System.CommandLine;

namespace TritonMesos.Report;

/// <summary>The <c>triton-mesos</c> commands of the Report area.</summary>
public sealed class ReportCommands : ICommandProvider
{
    public IEnumerable<Command> CreateCommands() => [];
}
