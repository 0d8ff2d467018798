using System.CommandLine;

namespace TritonMesos;

/// <summary>Contributes subcommands to the <c>triton-mesos</c> command line; one per tool area.</summary>
public interface ICommandProvider
{
    /// <summary>The commands this area adds to the root command.</summary>
    IEnumerable<Command> CreateCommands();
}
