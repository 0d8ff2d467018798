namespace TritonMesos;

/// <summary>Which Mesos daemon a flag belongs to.</summary>
public enum FlagSide
{
    Agent,
    Master,
}

/// <summary>A runtime flag that toggles a feature: <c>Runtime-Flag: agent docker_mount_sandbox bool true</c>.</summary>
public sealed record RuntimeFlag(FlagSide Side, string Name, string Type, string Default)
{
    /// <summary>Parses the value of a <c>Runtime-Flag:</c> header; null with an error text when malformed.</summary>
    public static RuntimeFlag? TryParse(string value, out string? error) =>
        RuntimeFlagSyntax.Split(value, out error) is { } parts
            ? new RuntimeFlag(parts.Side == "master" ? FlagSide.Master : FlagSide.Agent, parts.Name, parts.Type, parts.Default)
            : null;

    /// <summary>The header value form, the inverse of <see cref="TryParse"/>.</summary>
    public override string ToString() => $"{Side.ToString().ToLowerInvariant()} {Name} {Type} {Default}";
}
