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
    public static RuntimeFlag? TryParse(string value, out string? error)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        error = null;
        if (parts.Length < 4)
        {
            error = $"Runtime-Flag needs 'agent|master name type default', got '{value}'";
            return null;
        }
        FlagSide side;
        switch (parts[0].ToLowerInvariant())
        {
            case "agent": side = FlagSide.Agent; break;
            case "master": side = FlagSide.Master; break;
            default:
                error = $"Runtime-Flag side must be 'agent' or 'master', got '{parts[0]}'";
                return null;
        }
        return new RuntimeFlag(side, parts[1], parts[2], string.Join(' ', parts[3..]));
    }

    /// <summary>The header value form, the inverse of <see cref="TryParse"/>.</summary>
    public override string ToString() => $"{Side.ToString().ToLowerInvariant()} {Name} {Type} {Default}";
}
