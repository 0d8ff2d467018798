namespace TritonMesos.Build;

/// <summary>A failure of the build itself (bad arguments, unknown target, cycle, failed tests), printed without a stack trace.</summary>
public sealed class BuildException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The message alone: a user-facing failure is not a bug.</summary>
    public override string ToString() => Message;
}
