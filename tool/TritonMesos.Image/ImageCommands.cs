using System.CommandLine;

namespace TritonMesos.Image;

/// <summary>The <c>triton-mesos</c> commands of the Image area.</summary>
public sealed class ImageCommands : ICommandProvider
{
    public IEnumerable<Command> CreateCommands() => [];
}
