using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TritonMesos.Image;

/// <summary>
/// Turns a profile plus overrides into the flags Mesos starts with, validating every name and value against the flag
/// catalog of the patched tree. Precedence, lowest first: profile, <c>MESOS_*</c> environment, <c>--set</c>.
/// Used by <c>triton-mesos flags</c> and by the image entrypoint, so both render the same way.
/// </summary>
public sealed partial record FlagRenderer(FlagCatalog Catalog, string CatalogPath)
{
    /// <summary>Flags the Mesos program refuses to start without (checked in its main.cpp, not visible in flags.cpp).</summary>
    public static IReadOnlyList<string> RequiredFlags(FlagSide program) =>
        program == FlagSide.Agent ? ["master", "work_dir"] : ["work_dir"];

    /// <summary>
    /// Renders <paramref name="profile"/>. <paramref name="environment"/> supplies <c>${VAR}</c> values and, when
    /// <paramref name="environmentOverrides"/> is true, <c>MESOS_*</c> overrides. Throws on the first invalid flag.
    /// </summary>
    public RenderResult Render(Profile profile, IReadOnlyList<string> sets, IReadOnlyDictionary<string, string> environment,
        bool environmentOverrides, string? workDir = null)
    {
        var values = new Dictionary<string, (string? Value, string Origin, bool Expand, ProfileFlag? Source)>(StringComparer.Ordinal);
        var order = new List<string>();

        void Put(string name, string? value, string origin, bool expand, ProfileFlag? source)
        {
            if (!values.ContainsKey(name))
                order.Add(name);
            values[name] = (value, origin, expand, source);
        }

        foreach (var flag in profile.Flags)
        {
            Require(profile.Program, flag.Name, profile.Path, flag.Line, $"profile '{profile.Name}'");
            Put(flag.Name, flag.Value, $"{System.IO.Path.GetFileName(profile.Path)}:{flag.Line}", expand: true, flag);
        }

        if (environmentOverrides)
        {
            foreach (var (key, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                if (!key.StartsWith("MESOS_", StringComparison.Ordinal) || key.Length == "MESOS_".Length)
                    continue;
                var name = key["MESOS_".Length..].ToLowerInvariant();
                Require(profile.Program, name, $"environment variable {key}", null, "the environment");
                Put(Canonical(profile.Program, name), value, "env " + key, expand: false, null);
            }
        }

        if (workDir is not null)
            Put("work_dir", workDir, "--work-dir", expand: false, null);

        foreach (var set in sets)
        {
            var eq = set.IndexOf('=');
            if (eq <= 0)
                throw new TritonMesosException($"--set '{set}' must be name=value (e.g. --set {Features.RemoveOnDestroy.DockerRemoveDelay.Name}=1mins)",
                    nextStep: $"booleans take true/false: --set {Features.SandboxMount.DockerMountSandbox.Name}=false");
            var name = set[..eq].Trim().TrimStart('-');
            Require(profile.Program, name, "--set " + set, null, "--set");
            Put(Canonical(profile.Program, name), set[(eq + 1)..], "--set", expand: false, null);
        }

        var rendered = new List<RenderedFlag>();
        foreach (var name in order)
        {
            var (value, origin, expand, source) = values[name];
            if (value is null)
                continue; // null in a profile: left at the Mesos default
            var definition = Catalog.Find(profile.Program, name)!;
            var where = source is null ? origin : null;
            if (expand)
            {
                var expanded = source!.IsJson ? ExpandJson(value, environment, profile, source) : Expand(value, environment, profile, source);
                if (expanded is null)
                    continue; // every variable in the value is unset: left at the Mesos default
                value = expanded;
            }
            var problem = CheckValue(definition, value) ?? FlagRules.Check(profile.Program, definition.Name, value);
            if (problem is not null)
                throw new TritonMesosException($"flag '{name}' = '{Display(value)}': {problem}",
                    source is null ? where : profile.Path, source?.Line,
                    source is not null && Variables(source.Value!) is { Count: > 0 } variables
                        ? $"the profile builds it from {string.Join(", ", variables)}: fix {(variables.Count > 1 ? "them" : "it")}, or override --{name}"
                        : $"'{name}' is {definition.Type} (default {definition.Default ?? "none"}, {definition.Source}:{definition.Line})");
            if (definition.IsBool)
                value = value.ToLowerInvariant();
            rendered.Add(new RenderedFlag(name, value, definition.IsBool, origin));
        }

        if (FlagRules.CheckTogether(profile.Program, rendered, environment) is { } broken)
        {
            var origin = rendered.FirstOrDefault(f => f.Name == broken.Flag)?.Origin;
            throw new TritonMesosException($"flag '{broken.Flag}'{(origin is null ? "" : $" (from {origin})")}: {broken.Problem}",
                profile.Path, nextStep: broken.NextStep);
        }
        var missing = RequiredFlags(profile.Program).Where(r => rendered.All(f => f.Name != r)).ToList();
        return new RenderResult(profile, rendered, missing);
    }

    /// <summary>The names of the <c>${VAR}</c> variables in a profile value, in order, once each.</summary>
    private static IReadOnlyList<string> Variables(string value) =>
        Variable().Matches(value).Select(m => m.Groups["var"].Value).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>A value as shown in an error: the credentials of a ZooKeeper URL are replaced by "…".</summary>
    private static string Display(string value)
    {
        var scheme = value.IndexOf(ZooKeeperUrl.Scheme, StringComparison.Ordinal);
        var at = value.LastIndexOf('@');
        return scheme >= 0 && at > scheme ? value[..(scheme + ZooKeeperUrl.Scheme.Length)] + "…" + value[at..] : value;
    }

    private string Canonical(FlagSide program, string name) => Catalog.Find(program, name)?.Name ?? name;

    private void Require(FlagSide program, string name, string where, int? line, string what)
    {
        if (Catalog.Find(program, name) is not null)
            return;
        var side = program == FlagSide.Agent ? "agent" : "master";
        if (Catalog.FindUnavailable(name) is { } off)
            throw new TritonMesosException(
                $"flag '{name}' (from {what}) is compiled out of this Mesos build: it needs {off.Condition} ({off.Source}:{off.Line})",
                where, line, "remove it from the profile");
        var nearest = Catalog.Nearest(program, name);
        throw new TritonMesosException(
            $"unknown {side} flag '{name}' (from {what}): not in the flag catalog of the patched tree ({CatalogPath}); " +
            "a typo, or a flag whose feature patch is not applied",
            where, line, nearest is null ? "check the flag name against `mesos-" + side + " --help`" : $"did you mean '{nearest}'?");
    }

    [GeneratedRegex(@"\$\{(?<var>[A-Za-z_][A-Za-z0-9_]*)(?::-(?<default>[^}]*))?\}")]
    private static partial Regex Variable();

    /// <summary>Expands the variables of a string value; null when it has variables and expands to nothing.</summary>
    private static string? Expand(string value, IReadOnlyDictionary<string, string> environment, Profile profile, ProfileFlag flag)
    {
        var expanded = ExpandText(value, environment, profile, flag);
        return expanded.Length == 0 && Variable().IsMatch(value) ? null : expanded;
    }

    /// <summary>
    /// Expands the variables inside the strings of a JSON-valued flag and writes it back as compact JSON (so a value with a
    /// quote stays JSON); null when it has variables and each string that had one expands to nothing.
    /// </summary>
    private static string? ExpandJson(string json, IReadOnlyDictionary<string, string> environment, Profile profile, ProfileFlag flag)
    {
        using var doc = JsonDocument.Parse(json);
        var withVariables = 0;
        var empty = 0;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            void Write(JsonElement element)
            {
                switch (element.ValueKind)
                {
                    case JsonValueKind.Object:
                        writer.WriteStartObject();
                        foreach (var property in element.EnumerateObject())
                        {
                            writer.WritePropertyName(property.Name);
                            Write(property.Value);
                        }
                        writer.WriteEndObject();
                        break;
                    case JsonValueKind.Array:
                        writer.WriteStartArray();
                        foreach (var item in element.EnumerateArray())
                            Write(item);
                        writer.WriteEndArray();
                        break;
                    case JsonValueKind.String:
                        var text = element.GetString()!;
                        if (Variable().IsMatch(text))
                        {
                            withVariables++;
                            text = ExpandText(text, environment, profile, flag);
                            if (text.Length == 0)
                                empty++;
                        }
                        writer.WriteStringValue(text);
                        break;
                    default:
                        element.WriteTo(writer);
                        break;
                }
            }
            Write(doc.RootElement);
        }
        return withVariables > 0 && empty == withVariables ? null : Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string ExpandText(string value, IReadOnlyDictionary<string, string> environment, Profile profile, ProfileFlag flag) =>
        Variable().Replace(value, m =>
        {
            var variable = m.Groups["var"].Value;
            if (environment.TryGetValue(variable, out var v) && v.Length > 0)
                return v;
            if (m.Groups["default"].Success)
                return m.Groups["default"].Value;
            throw new TritonMesosException(
                $"flag '{flag.Name}' needs environment variable {variable} (value '{value}'), which is not set",
                profile.Path, flag.Line,
                $"set {variable} (e.g. docker run -e {variable}=…), or override the flag: --set {flag.Name}=… / -e {RenderedFlag.EnvironmentName(flag.Name)}=…");
        });

    [GeneratedRegex(@"^\d+(\.\d+)?(ns|us|ms|secs|mins|hrs|days|weeks)$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^\d+(B|KB|MB|GB|TB)$")]
    private static partial Regex BytesPattern();

    /// <summary>Checks a value against the flag's C++ type, as far as stout would parse it; null when it is fine.</summary>
    public static string? CheckValue(FlagDefinition flag, string value)
    {
        if (value.StartsWith("file://", StringComparison.Ordinal) && !flag.IsBool)
            return null; // stout reads any non-bool flag from a file
        switch (flag.ValueType)
        {
            case "bool":
                return value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase)
                    ? null : "expected true or false";
            case "Duration":
                return DurationPattern().IsMatch(value) ? null : "expected a duration such as 0secs, 500ms, 10mins, 2days";
            case "Bytes":
                return BytesPattern().IsMatch(value) ? null : "expected a size such as 512MB or 2GB";
            case "int" or "int32_t" or "int64_t" or "long":
                return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? null : "expected an integer";
            case "unsigned" or "unsigned int" or "uint16_t" or "uint32_t" or "uint64_t" or "size_t" or "uint8_t":
                return ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? null : "expected a non-negative integer";
            case "double" or "float":
                return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? null : "expected a number";
            default:
                return null;
        }
    }
}

/// <summary>The rendered flags of a profile, and the required flags still missing (e.g. <c>master</c>, set at run time).</summary>
public sealed record RenderResult(Profile Profile, IReadOnlyList<RenderedFlag> Flags, IReadOnlyList<string> MissingRequired)
{
    /// <summary>One <c>--flag</c> per line.</summary>
    public string ToCommandLineText()
    {
        var text = new StringBuilder();
        foreach (var flag in Flags)
            text.Append(flag.ToArgument()).Append('\n');
        return text.ToString();
    }

    /// <summary>One <c>MESOS_NAME=value</c> per line (docker --env-file format: no quoting).</summary>
    public string ToEnvironmentText()
    {
        var text = new StringBuilder();
        foreach (var flag in Flags)
            text.Append(flag.ToEnvironment()).Append('\n');
        return text.ToString();
    }

    /// <summary>Throws naming the profile when a required flag is missing.</summary>
    public RenderResult RequireComplete()
    {
        if (MissingRequired.Count > 0)
        {
            var first = MissingRequired[0];
            throw new TritonMesosException(
                $"required flag{(MissingRequired.Count > 1 ? "s" : "")} {string.Join(", ", MissingRequired.Select(m => "--" + m))} not set by profile '{Profile.Name}' nor the environment",
                Profile.Path, nextStep: $"set it, e.g. docker run -e {RenderedFlag.EnvironmentName(first)}=… (for master: zk://host:2181/mesos or host:5050)");
        }
        return this;
    }
}
