using System.Text.Json;
using System.Text.Json.Serialization;

namespace TritonMesos.Image;

/// <summary>
/// The flags a patched Mesos tree accepts, for the agent and the master, extracted from its <c>flags.cpp</c> files
/// (<see cref="Extract"/>) and shipped in the image as <c>flag-catalog.json</c>.
/// </summary>
public sealed partial record FlagCatalog(
    [property: JsonPropertyName("mesosVersion")] string? MesosVersion,
    [property: JsonPropertyName("defines")] IReadOnlyList<string> Defines,
    [property: JsonPropertyName("agent")] IReadOnlyList<FlagDefinition> Agent,
    [property: JsonPropertyName("master")] IReadOnlyList<FlagDefinition> Master,
    [property: JsonPropertyName("unavailable")] IReadOnlyList<FlagDefinition> Unavailable)
{
    /// <summary>The file name used in build contexts and in the image.</summary>
    public const string FileName = "flag-catalog.json";

    /// <summary>The flags of one program.</summary>
    public IReadOnlyList<FlagDefinition> For(FlagSide side) => side == FlagSide.Agent ? Agent : Master;

    /// <summary>The flag called <paramref name="name"/> (or with that alias), or null.</summary>
    public FlagDefinition? Find(FlagSide side, string name) =>
        For(side).FirstOrDefault(f => f.Name == name) ?? For(side).FirstOrDefault(f => f.Alias == name);

    /// <summary>The known flag closest to <paramref name="name"/> (edit distance), for "did you mean" hints.</summary>
    public string? Nearest(FlagSide side, string name) =>
        For(side).Select(f => f.Name)
            .Select(n => (Name: n, Distance: EditDistance.Between(name, n)))
            .OrderBy(p => p.Distance).ThenBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => p.Name)
            .FirstOrDefault();

    /// <summary>A flag that exists in the source but is compiled out of this build, e.g. behind USE_SSL_SOCKET.</summary>
    public FlagDefinition? FindUnavailable(string name) => Unavailable.FirstOrDefault(f => f.Name == name);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes the catalog as indented JSON.</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, ToJson() + "\n");
    }

    /// <summary>The catalog as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, FlagCatalogJsonContext.Default.FlagCatalog);

    /// <summary>Reads a catalog written by <see cref="Save"/>; errors name the file.</summary>
    public static FlagCatalog Load(string path)
    {
        if (!File.Exists(path))
            throw new TritonMesosException("flag catalog not found", path,
                nextStep: "run `./build.sh Patch` (it writes the catalog) or `triton-mesos flag-catalog --tree <patched tree>`");
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), FlagCatalogJsonContext.Default.FlagCatalog)
                ?? throw new TritonMesosException("the flag catalog is empty (null)", path);
        }
        catch (JsonException e)
        {
            throw new TritonMesosException($"malformed flag catalog: {e.Message}", path, (int?)(e.LineNumber + 1),
                "re-create it with `triton-mesos flag-catalog`", inner: e);
        }
    }
}

/// <summary>Source-generated JSON for the catalog (trim-safe: the catalog is read inside the image by a trimmed binary).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FlagCatalog))]
internal sealed partial class FlagCatalogJsonContext : JsonSerializerContext;
