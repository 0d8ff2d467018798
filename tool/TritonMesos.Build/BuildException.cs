namespace TritonMesos.Build;

/// <summary>A failure of the build itself (bad arguments, unknown target, cycle, unmet requirement), printed without a stack trace.</summary>
public sealed class BuildException(string message, Exception? inner = null) : Exception(message, inner);
