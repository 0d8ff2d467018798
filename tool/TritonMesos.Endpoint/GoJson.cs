using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TritonMesos.Endpoint;

/// <summary>
/// A Go type as Docker's engine declares it, restricted to what the endpoint forwards: decoding a body against it
/// reproduces Go's encoding/json (keys matched exactly, else by Go's case folding; duplicate keys: last wins; objects
/// decoded into a struct already present merge into it) and yields the one canonical model that is validated and sent.
/// </summary>
internal abstract record GoType
{
    /// <summary>How the Triton-style type error names the expected shape: <c>"X" must be …</c>.</summary>
    public abstract string Expected { get; }

    /// <summary>A struct: its allow-listed fields by their Go JSON names; <paramref name="Pointer"/> when JSON null resets it.</summary>
    public sealed record Struct(IReadOnlyDictionary<string, GoType> Fields, bool Pointer = true) : GoType
    {
        public override string Expected => "an object";

        /// <summary>The field a JSON key selects: exact name first, then Go's folded comparison.</summary>
        public string? FieldFor(string key)
        {
            if (Fields.ContainsKey(key))
                return key;
            var folded = GoJson.Fold(key);
            return Fields.Keys.FirstOrDefault(name => GoJson.Fold(name) == folded);
        }
    }

    /// <summary>A <c>map[string]T</c>: keys exact, each value decoded afresh.</summary>
    public sealed record Map(GoType Value) : GoType
    {
        public override string Expected => "an object";
    }

    /// <summary>A slice: replaced as a whole.</summary>
    public sealed record Slice(GoType Element) : GoType
    {
        public override string Expected => Element is Scalar { Kind: JsonValueKind.String } ? "an array of strings" : "an array";
    }

    /// <summary>A string, bool or integer; JSON null leaves it as it was.</summary>
    public sealed record Scalar(JsonValueKind Kind) : GoType
    {
        public override string Expected => Kind switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.True => "a boolean",
            _ => "an integer",
        };
    }

    /// <summary><c>struct{}</c> (set members such as ExposedPorts values): any object.</summary>
    public sealed record Empty : GoType
    {
        public override string Expected => "an object";
    }

    public static readonly GoType Text = new Scalar(JsonValueKind.String);
    public static readonly GoType Bool = new Scalar(JsonValueKind.True);
    public static readonly GoType Int = new Scalar(JsonValueKind.Number);
    public static readonly GoType Strings = new Slice(Text);
    public static readonly GoType StringMap = new Map(Text);
    public static readonly GoType Set = new Map(new Empty());
}

/// <summary>The outcome of decoding: the canonical body, the type errors (Go decodes on past them and fails at the end), the fields dropped.</summary>
internal sealed record GoDecoded(JsonObject Body, IReadOnlyList<GoTypeError> TypeErrors, IReadOnlyList<string> Dropped)
{
    /// <summary>The 422 for the first field of the wrong type (<c>"Cmd" must be an array of strings</c>), or null.</summary>
    public TritonError? TypeRefusal(string rule) =>
        TypeErrors.FirstOrDefault() is { } e ? TritonError.Validation($"\"{e.Path}\" must be {e.Expected}", rule) : null;
}

/// <summary>A value of the wrong JSON type: where (Go path, e.g. <c>HostConfig.NetworkMode</c>), the shape expected and the value sent.</summary>
internal sealed record GoTypeError(string Path, string Expected, string Value);

/// <summary>Go encoding/json decoding of a request body against a <see cref="GoType.Struct"/> allow-list.</summary>
internal static class GoJson
{
    /// <summary>
    /// Go's foldName (encoding/json/fold.go): ASCII letters upper-cased, any other rune mapped to the smallest rune of its
    /// simple case-fold orbit. Field names are ASCII, so the only non-ASCII runes that can match them are the two whose
    /// orbit holds an ASCII letter: U+212A KELVIN SIGN (K) and U+017F LATIN SMALL LETTER LONG S (S).
    /// </summary>
    public static string Fold(string name)
    {
        var folded = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
            folded.Append(rune.Value switch
            {
                >= 'a' and <= 'z' => (char)(rune.Value - 32),
                < 0x80 => (char)rune.Value,
                0x212A => 'K',
                0x017F => 'S',
                _ => rune.ToString(),
            });
        return folded.ToString();
    }

    /// <summary>Decodes <paramref name="root"/> (a JSON object) as Go would into <paramref name="schema"/>.</summary>
    public static GoDecoded Decode(JsonElement root, GoType.Struct schema)
    {
        var state = new DecodeState();
        var body = Decode(root, schema, null, "", state) as JsonObject ?? [];
        return new GoDecoded(body, state.TypeErrors, state.Dropped);
    }

    private sealed class DecodeState
    {
        public readonly List<GoTypeError> TypeErrors = [];
        public readonly List<string> Dropped = [];
    }

    private static JsonNode? Decode(JsonElement value, GoType type, JsonNode? existing, string path, DecodeState state)
    {
        if (value.ValueKind == JsonValueKind.Null)
            return type switch
            {
                GoType.Scalar => existing,
                GoType.Struct { Pointer: false } => existing,
                _ => null,
            };
        switch (type)
        {
            case GoType.Struct s when value.ValueKind == JsonValueKind.Object:
            {
                var target = existing as JsonObject ?? [];
                foreach (var property in value.EnumerateObject())
                {
                    var field = s.FieldFor(property.Name);
                    if (field is null)
                    {
                        if (!IsZero(property.Value))
                            state.Dropped.Add(Join(path, property.Name));
                        continue;
                    }
                    var decoded = Decode(property.Value, s.Fields[field], target[field], Join(path, field), state);
                    target.Remove(field);
                    if (decoded is not null)
                        target[field] = decoded;
                }
                return target;
            }
            case GoType.Map m when value.ValueKind == JsonValueKind.Object:
            {
                var target = existing as JsonObject ?? [];
                foreach (var property in value.EnumerateObject())
                {
                    var decoded = Decode(property.Value, m.Value, Zero(m.Value), Join(path, property.Name), state);
                    target.Remove(property.Name);
                    target[property.Name] = decoded;
                }
                return target;
            }
            case GoType.Slice l when value.ValueKind == JsonValueKind.Array:
            {
                var errors = state.TypeErrors.Count;
                var array = new JsonArray(value.EnumerateArray().Select(e => Decode(e, l.Element, Zero(l.Element), path, state)).ToArray());
                for (var i = errors; i < state.TypeErrors.Count; i++)
                    if (state.TypeErrors[i].Path == path) // an element of the wrong type: the slice is what is wrong ("an array of strings")
                        state.TypeErrors[i] = state.TypeErrors[i] with { Expected = l.Expected, Value = value.GetRawText() };
                return array;
            }
            case GoType.Empty when value.ValueKind == JsonValueKind.Object:
                return new JsonObject();
            case GoType.Scalar { Kind: JsonValueKind.String } when value.ValueKind == JsonValueKind.String:
                return JsonValue.Create(value.GetString());
            case GoType.Scalar { Kind: JsonValueKind.True } when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                return JsonValue.Create(value.GetBoolean());
            case GoType.Scalar { Kind: JsonValueKind.Number } when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)
                                                                   && !value.GetRawText().AsSpan().ContainsAny(".eE"):
                return JsonValue.Create(n);
        }
        state.TypeErrors.Add(new GoTypeError(path, type.Expected, value.GetRawText()));
        return existing;
    }

    /// <summary>The Go zero value a fresh map or slice element starts from (JSON null leaves a scalar at it).</summary>
    private static JsonNode? Zero(GoType type) => type switch
    {
        GoType.Scalar { Kind: JsonValueKind.String } => JsonValue.Create(""),
        GoType.Scalar { Kind: JsonValueKind.True } => JsonValue.Create(false),
        GoType.Scalar => JsonValue.Create(0L),
        _ => null,
    };

    /// <summary>True for values that configure nothing (false, 0, "", null, empty array or object): not worth a log note when dropped.</summary>
    private static bool IsZero(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False => true,
        JsonValueKind.String => value.GetString()!.Length == 0,
        JsonValueKind.Number => value.GetRawText() is "0" or "-1",
        JsonValueKind.Array => value.GetArrayLength() == 0,
        JsonValueKind.Object => !value.EnumerateObject().Any(),
        _ => false,
    };

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
