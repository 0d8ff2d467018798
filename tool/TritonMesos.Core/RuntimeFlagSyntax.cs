// Compiled into TritonMesos.Core and, as a linked file, into the netstandard2.0 source generator
// (tool/TritonMesos.Generators): only C# and APIs that both accept.
using System;

namespace TritonMesos;

/// <summary>The text form of a <c>Runtime-Flag:</c> value, <c>agent|master name type default</c>: the one splitter, used by <see cref="RuntimeFlag"/> and by the source generator.</summary>
internal static class RuntimeFlagSyntax
{
    /// <summary>The side (lower case), name, type and default of <paramref name="value"/>; null with an error text when malformed.</summary>
    public static (string Side, string Name, string Type, string Default)? Split(string value, out string? error)
    {
        var parts = value.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        error = null;
        if (parts.Length < 4)
        {
            error = $"Runtime-Flag needs 'agent|master name type default', got '{value}'";
            return null;
        }
        var side = parts[0].ToLowerInvariant();
        if (side != "agent" && side != "master")
        {
            error = $"Runtime-Flag side must be 'agent' or 'master', got '{parts[0]}'";
            return null;
        }
        return (side, parts[1], parts[2], string.Join(" ", parts, 3, parts.Length - 3));
    }
}
