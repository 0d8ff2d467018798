using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace TritonMesos.Generators;

/// <summary>A runtime flag as declared: <c>agent docker_mount_sandbox bool true</c>.</summary>
internal sealed class FlagModel
{
    public FlagModel(string side, string name, string type, string @default)
    {
        Side = side;
        Name = name;
        Type = type;
        Default = @default;
    }

    public string Side { get; }
    public string Name { get; }
    public string Type { get; }
    public string Default { get; }
}

/// <summary>One feature: its id, description, flags, upstream status and the patches that carry it.</summary>
internal sealed class FeatureModel
{
    public FeatureModel(string id) => Id = id;

    public string Id { get; }
    public string? Description { get; set; }
    public string? UpstreamStatus { get; set; }
    public List<FlagModel> Flags { get; } = new();
    public List<string> Patches { get; } = new();

    public void AddFlag(FlagModel flag)
    {
        if (!Flags.Any(f => f.Side == flag.Side && f.Name == flag.Name))
            Flags.Add(flag);
    }
}

/// <summary>Identifiers and literals for the generated code.</summary>
internal static class Names
{
    /// <summary><c>sandbox-mount</c> → <c>SandboxMount</c>, <c>docker_mount_sandbox</c> → <c>DockerMountSandbox</c>.</summary>
    public static string Pascal(string id)
    {
        var builder = new StringBuilder();
        foreach (var part in id.Split(new[] { '-', '_', '.', ' ', '/' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var clean = new string(part.Where(char.IsLetterOrDigit).ToArray());
            if (clean.Length > 0)
                builder.Append(char.ToUpperInvariant(clean[0])).Append(clean.Substring(1));
        }
        var name = builder.ToString();
        return name.Length == 0 || char.IsDigit(name[0]) ? "_" + name : name;
    }
}
