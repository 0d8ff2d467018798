namespace TritonMesos.Build;

/// <summary>
/// Marks a field or property of the build as a parameter, bound from <c>--kebab-name</c>, then the environment
/// (optional <c>NUKE_</c> prefix), then <c>.nuke/parameters.json</c> and profile files.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string? description = null) : Attribute
{
    /// <summary>The help text.</summary>
    public string? Description { get; } = description;

    /// <summary>Overrides the member name (the CLI name is its kebab-case form).</summary>
    public string? Name { get; set; }

    /// <summary>For arrays: a character that also separates values inside one token, e.g. '+' or ','.</summary>
    public string? Separator { get; set; }

    /// <summary>False hides the parameter from <c>--help</c>.</summary>
    public bool List { get; set; } = true;
}
