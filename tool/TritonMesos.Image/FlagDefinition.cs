using System.Text.Json.Serialization;

namespace TritonMesos.Image;

/// <summary>One Mesos command-line flag as declared in a <c>flags.cpp</c>: name, C++ type, default and where it was found.</summary>
public sealed record FlagDefinition(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("default")] string? Default,
    [property: JsonPropertyName("alias")] string? Alias,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("line")] int Line,
    [property: JsonPropertyName("condition")] string? Condition = null)
{
    /// <summary>The type without <c>Option&lt;…&gt;</c> and <c>std::</c>, e.g. <c>string</c>, <c>bool</c>, <c>Duration</c>.</summary>
    [JsonIgnore]
    public string ValueType
    {
        get
        {
            var t = Type.Replace("std::", "", StringComparison.Ordinal).Trim();
            if (t.StartsWith("Option<", StringComparison.Ordinal) && t.EndsWith('>'))
                t = t["Option<".Length..^1].Trim();
            return t;
        }
    }

    /// <summary>True for boolean flags, which render as <c>--name</c> / <c>--no-name</c>.</summary>
    [JsonIgnore]
    public bool IsBool => ValueType == "bool";

    /// <summary>True when the flag has no default and is not an Option: Mesos requires it.</summary>
    [JsonIgnore]
    public bool IsRequired => Default is null && !Type.Replace("std::", "", StringComparison.Ordinal).TrimStart().StartsWith("Option<", StringComparison.Ordinal);
}
