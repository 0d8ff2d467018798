using System.Text.Json;
using System.Text.Json.Serialization;

namespace TritonMesos;

/// <summary>A feature declared in <c>patches/features.json</c>: one without a patch, or extra facts about one with patches.</summary>
public sealed record FeatureDeclaration(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("flags")] IReadOnlyList<string> Flags,
    [property: JsonPropertyName("upstreamStatus")] string UpstreamStatus,
    [property: JsonPropertyName("evidence")] string Evidence);

/// <summary>The feature list, <c>patches/features.json</c>.</summary>
public sealed record FeatureList(IReadOnlyList<FeatureDeclaration> Features)
{
    /// <summary>The file name inside the patches directory.</summary>
    public const string FileName = "features.json";

    /// <summary>Reads the list; an absent file is an empty list, malformed JSON an error with its line.</summary>
    public static FeatureList Load(string patchesDirectory)
    {
        var path = Path.Combine(patchesDirectory, FileName);
        if (!File.Exists(path))
            return new FeatureList([]);
        try
        {
            var doc = JsonSerializer.Deserialize<FeatureListDocument>(File.ReadAllText(path),
                new JsonSerializerOptions { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var features = doc?.Features ?? [];
            foreach (var f in features)
                if (UpstreamStatus.TryParse(f.UpstreamStatus ?? "", out var error) is null)
                    throw new TritonMesosException($"feature '{f.Id}': {error}", path);
            return new FeatureList(features);
        }
        catch (JsonException e)
        {
            throw new TritonMesosException($"malformed JSON: {e.Message}", path, (int?)(e.LineNumber + 1), inner: e);
        }
    }

    private sealed record FeatureListDocument([property: JsonPropertyName("features")] List<FeatureDeclaration>? Features);
}
