using System.Text.Json;

namespace TritonMesos.Image;

/// <summary>
/// One flag set by a profile: its name, its value as text (null = leave at the Mesos default), its line, and whether the
/// value is a JSON object or array (a JSON-valued flag such as <c>domain</c>, whose variables are expanded inside its strings).
/// </summary>
public sealed record ProfileFlag(string Name, string? Value, int Line, bool IsJson = false);

/// <summary>
/// A runtime profile (<c>profiles/&lt;name&gt;.json</c>): the flags one Mesos program starts with. Choosing features is
/// choosing a profile, not rebuilding the image. String values may use <c>${VAR}</c> and <c>${VAR:-default}</c>; a value
/// that expands to nothing (every variable in it unset, with empty defaults) leaves the flag out.
/// </summary>
public sealed record Profile(string Name, string Path, FlagSide Program, string? Description, IReadOnlyList<ProfileFlag> Flags,
    IReadOnlyList<string> Notes)
{
    /// <summary>The directory of the repository's profiles, relative to the repository root.</summary>
    public const string DirectoryName = "profiles";

    /// <summary>Finds a profile by name (<c>triton</c> → <c>&lt;directory&gt;/triton.json</c>) or by path.</summary>
    public static string Resolve(string nameOrPath, string profilesDirectory)
    {
        if (nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || nameOrPath.Contains('/'))
            return System.IO.Path.GetFullPath(nameOrPath);
        return System.IO.Path.GetFullPath(System.IO.Path.Combine(profilesDirectory, nameOrPath + ".json"));
    }

    /// <summary>Loads a profile; errors name the file and line.</summary>
    public static Profile Load(string path)
    {
        if (!File.Exists(path))
        {
            var dir = System.IO.Path.GetDirectoryName(path);
            var known = dir is not null && Directory.Exists(dir)
                ? string.Join(", ", Directory.EnumerateFiles(dir, "*.json").Select(System.IO.Path.GetFileNameWithoutExtension).Order())
                : "";
            throw new TritonMesosException("profile not found", path,
                nextStep: known.Length > 0 ? $"known profiles: {known}" : "create it, or pass --profile with a path to a profile JSON file");
        }
        return Parse(path, File.ReadAllText(path));
    }

    /// <summary>Parses profile JSON; <paramref name="path"/> names the profile in errors.</summary>
    public static Profile Parse(string path, string json)
    {
        var name = System.IO.Path.GetFileNameWithoutExtension(path);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new TritonMesosException($"malformed profile JSON: {e.Message}", path, (int?)(e.LineNumber + 1),
                "a profile is {\"program\": \"agent\", \"flags\": {\"name\": value, …}}", inner: e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new TritonMesosException("a profile must be a JSON object", path, 1);
            var program = FlagSide.Agent;
            if (root.TryGetProperty("program", out var p))
            {
                program = p.GetString() switch
                {
                    "agent" => FlagSide.Agent,
                    "master" => FlagSide.Master,
                    var other => throw new TritonMesosException($"\"program\" must be \"agent\" or \"master\", got '{other}'",
                        path, LineOf(json, "\"program\"")),
                };
            }
            var description = root.TryGetProperty("description", out var d) ? d.GetString() : null;
            var notes = root.TryGetProperty("notes", out var n) && n.ValueKind == JsonValueKind.Array
                ? n.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
                : [];
            if (!root.TryGetProperty("flags", out var flagsElement) || flagsElement.ValueKind != JsonValueKind.Object)
                throw new TritonMesosException("missing \"flags\" object", path, 1, "add \"flags\": {\"name\": value, …}");
            var flags = new List<ProfileFlag>();
            var flagsStart = json.IndexOf("\"flags\"", StringComparison.Ordinal);
            foreach (var property in flagsElement.EnumerateObject())
            {
                var line = LineOf(json, $"\"{property.Name}\"", Math.Max(flagsStart, 0));
                if (flags.Any(f => f.Name == property.Name))
                    throw new TritonMesosException($"flag '{property.Name}' is set twice", path, line);
                string? value = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Number => property.Value.GetRawText(),
                    JsonValueKind.Null => null,
                    // Object/array values are JSON-valued flags (e.g. executor_environment_variables): pass the JSON text.
                    _ => property.Value.GetRawText(),
                };
                var isJson = property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array;
                flags.Add(new ProfileFlag(property.Name, value, line, isJson));
            }
            return new Profile(name, path, program, description, flags, notes);
        }
    }

    private static int LineOf(string json, string token, int from = 0)
    {
        var index = json.IndexOf(token, from, StringComparison.Ordinal);
        if (index < 0)
            return 1;
        var line = 1;
        for (var i = 0; i < index; i++)
            if (json[i] == '\n') line++;
        return line;
    }
}
