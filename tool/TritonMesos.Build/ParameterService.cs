using System.Reflection;
using System.Text.Json;

namespace TritonMesos.Build;

/// <summary>A parameter member of the build with its attribute.</summary>
public sealed record ParameterMember(MemberInfo Member, ParameterAttribute Attribute)
{
    /// <summary>The name used for matching: the attribute's Name or the member name.</summary>
    public string MemberName => Attribute.Name ?? Member.Name;

    /// <summary>The command-line form without dashes in front: <c>upstream-url</c>.</summary>
    public string DashedName => Naming.ToDashed(MemberName);

    /// <summary>The member's type.</summary>
    public Type Type => Member switch
    {
        FieldInfo f => f.FieldType,
        PropertyInfo p => p.PropertyType,
        _ => throw new NotSupportedException(Member.GetType().Name),
    };

    /// <summary>The separator character for arrays, if declared.</summary>
    public char? Separator => string.IsNullOrEmpty(Attribute.Separator) ? null : Attribute.Separator[0];

    /// <summary>True for parameters the runner itself declares (<c>--target</c>, <c>--skip</c>, …).</summary>
    public bool IsBuiltIn => Member.DeclaringType == typeof(NukeStyleBuild);

    internal object? GetValue(object build) => Member switch
    {
        FieldInfo f => f.GetValue(f.IsStatic ? null : build),
        PropertyInfo p => p.GetValue(p.GetMethod!.IsStatic ? null : build),
        _ => null,
    };

    internal void SetValue(object build, object? value)
    {
        switch (Member)
        {
            case FieldInfo f: f.SetValue(f.IsStatic ? null : build, value); break;
            case PropertyInfo p: p.SetValue(p.SetMethod!.IsStatic ? null : build, value); break;
        }
    }
}

/// <summary>
/// Resolves parameter values as NUKE's <c>ParameterService</c> does: named command-line argument, then positional
/// arguments (targets only), then environment variable (exact name, else letters/digits ignoring case with an optional
/// NUKE prefix), then <c>.nuke/parameters.json</c> and <c>.nuke/parameters.&lt;profile&gt;.json</c> (later profile wins).
/// </summary>
public sealed class ParameterService
{
    private readonly ArgumentParser _arguments;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly List<(string File, JsonElement Root)> _files = [];

    /// <summary>Warnings produced while resolving (e.g. several environment variables match one parameter).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Where each resolved value came from, by member name: "command line", "environment NAME", or a file.</summary>
    public Dictionary<string, string> Sources { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ParameterService(ArgumentParser arguments, IReadOnlyDictionary<string, string> environment)
    {
        _arguments = arguments;
        _environment = environment;
    }

    /// <summary>The command-line arguments.</summary>
    public ArgumentParser Arguments => _arguments;

    /// <summary>Loads <c>parameters.json</c> (if present) and one <c>parameters.&lt;profile&gt;.json</c> per profile (must exist).</summary>
    public void LoadParameterFiles(string nukeDirectory, IReadOnlyList<string> profiles)
    {
        var files = new List<string>();
        var defaultFile = Path.Combine(nukeDirectory, "parameters.json");
        if (File.Exists(defaultFile))
            files.Add(defaultFile);
        foreach (var profile in profiles)
        {
            var file = Path.Combine(nukeDirectory, $"parameters.{profile}.json");
            if (!File.Exists(file))
                throw new BuildException($"File '{file}' does not exist (profile '{profile}'). " +
                    $"Profiles found: {string.Join(", ", ProfileNames(nukeDirectory).DefaultIfEmpty("<none>"))}");
            files.Add(file);
        }
        files.Reverse();
        foreach (var file in files)
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(file),
                    new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw new BuildException($"{file}: the parameters file must hold a JSON object");
                _files.Add((file, document.RootElement.Clone()));
            }
            catch (JsonException e)
            {
                throw new BuildException($"{file}:{e.LineNumber + 1}: malformed JSON: {e.Message}", e);
            }
        }
    }

    /// <summary>The profile names that have a <c>parameters.&lt;name&gt;.json</c> file.</summary>
    public static IEnumerable<string> ProfileNames(string nukeDirectory) =>
        Directory.Exists(nukeDirectory)
            ? Directory.EnumerateFiles(nukeDirectory, "parameters.*.json").Select(f => Path.GetFileName(f)["parameters.".Length..^".json".Length]).Order()
            : [];

    /// <summary>The value of a parameter from the first source that has one; null when none does.</summary>
    public object? GetParameter(string memberName, Type type, char? separator, bool positionalForTargets = false)
    {
        if (_arguments.HasArgument(memberName))
        {
            Sources[memberName] = "command line";
            return _arguments.GetNamedArgument(memberName, type, separator);
        }
        if (positionalForTargets && _arguments.GetAllPositionalArguments(type, separator) is { } positional)
        {
            Sources[memberName] = "command line";
            return positional;
        }
        if (GetEnvironmentVariable(memberName, type, separator) is { } fromEnvironment)
            return fromEnvironment;
        return GetFromFiles(memberName, type);
    }

    private object? GetEnvironmentVariable(string name, Type type, char? separator)
    {
        string? key = _environment.ContainsKey(name) ? name : null;
        if (key is null)
        {
            var trimmed = Naming.Trimmed(name);
            var matches = _environment.Keys
                .Where(k => string.Equals(Naming.Trimmed(k), trimmed, StringComparison.OrdinalIgnoreCase) ||
                            string.Equals(Naming.Trimmed(k), "NUKE" + trimmed, StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (matches.Count > 1)
                Warnings.Add($"Could not resolve {name} since multiple values are provided ({string.Join(", ", matches)})");
            if (matches.Count != 1)
                return null;
            key = matches[0];
        }
        try
        {
            var value = ValueConverter.Convert(_environment[key], type, separator, booleanDefault: false);
            Sources[name] = $"environment {key}";
            return value;
        }
        catch (BuildException e)
        {
            throw new BuildException($"{e.Message}{Environment.NewLine}Resolving parameter '{name}' failed. Environment variable {key} was:{Environment.NewLine}{_environment[key]}");
        }
    }

    private object? GetFromFiles(string name, Type type)
    {
        foreach (var (file, root) in _files)
        {
            var property = root.EnumerateObject().Where(p => p.Name == name)
                .Concat(root.EnumerateObject().Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
                .Select(p => (JsonProperty?)p)
                .FirstOrDefault();
            if (property is not { } p)
                continue;
            var values = p.Value.ValueKind == JsonValueKind.Array
                ? p.Value.EnumerateArray().Select(Text).ToList()
                : p.Value.ValueKind == JsonValueKind.Null ? [] : [Text(p.Value)];
            try
            {
                var value = ValueConverter.Convert(values, type, booleanDefault: false);
                Sources[name] = Path.GetFileName(file);
                return value;
            }
            catch (BuildException e)
            {
                throw new BuildException($"{file}: \"{p.Name}\": {e.Message}");
            }
        }
        return null;

        static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();
    }

    /// <summary>Every [Parameter] member of the build type and its bases, ordered by member name as NUKE lists them.</summary>
    public static IReadOnlyList<ParameterMember> GetParameterMembers(Type buildType, bool includeUnlisted = true)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var members = new List<ParameterMember>();
        for (var type = buildType; type is not null && type != typeof(object); type = type.BaseType)
            foreach (var member in type.GetMembers(flags))
                if (member is FieldInfo or PropertyInfo && member.GetCustomAttribute<ParameterAttribute>() is { } attribute
                    && (includeUnlisted || attribute.List))
                    members.Add(new ParameterMember(member, attribute));
        var duplicate = members.GroupBy(m => m.MemberName, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new BuildException($"Parameter '{duplicate.Key}' is declared more than once ({string.Join(", ", duplicate.Select(m => m.Member.DeclaringType?.Name + "." + m.Member.Name))})");
        return members.OrderBy(m => m.MemberName, StringComparer.InvariantCulture).ToList();
    }
}
