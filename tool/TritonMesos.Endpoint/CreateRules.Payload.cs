using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TritonMesos.Endpoint;

internal static partial class CreateRules
{
    /// <summary>container.Config fields forwarded as decoded (Labels, Env and the host config are rebuilt).</summary>
    private static readonly string[] ForwardedConfig =
    [
        "Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr", "ExposedPorts", "Tty", "OpenStdin",
        "StdinOnce", "Cmd", "Image", "Volumes", "WorkingDir", "Entrypoint",
    ];

    /// <summary>Triton tags (labels <c>triton.*</c>) and their types (node-triton-tags).</summary>
    private static readonly Dictionary<string, string> TritonTags = new()
    {
        ["triton.cns.disable"] = "boolean", ["triton.cns.services"] = "string", ["triton.cns.reverse_ptr"] = "string",
        ["triton.network.public"] = "string", ["triton._test.boolean"] = "boolean", ["triton._test.number"] = "number",
    };

    /// <summary>The label sdc-docker keeps affinities in.</summary>
    public const string AffinitiesLabel = "com.docker.swarm.affinities";

    /// <summary>The body the engine gets, what the endpoint records, the package chosen and the hard affinities to check.</summary>
    public sealed record Payload(JsonObject Body, ContainerRecord Record, TritonPackage Package, IReadOnlyList<Affinity> HardAffinities);

    /// <summary>A Swarm-style affinity (<c>key==value</c>, <c>key!=~value</c>): sdc-docker's parsed filter expression.</summary>
    public sealed record Affinity(string Expression, string Key, bool Equal, bool Soft, string Value)
    {
        /// <summary>True when <paramref name="candidate"/> matches the value: exact, glob (<c>*</c>) or /regex/.</summary>
        public bool Matches(string? candidate)
        {
            if (candidate is null)
                return false;
            if (Value.Length >= 3 && Value[0] == '/' && Value[^1] == '/')
                return Regex.IsMatch(candidate, Value[1..^1], RegexOptions.None, TimeSpan.FromSeconds(1));
            if (Value.Contains('*'))
                return Regex.IsMatch(candidate, "^" + Regex.Escape(Value).Replace(@"\*", ".*") + "$");
            return candidate == Value;
        }
    }

    /// <summary>buildVmPayload: volumes, networks, affinities, labels, package, published ports and command; the refusal or the engine body.</summary>
    public static (TritonError? Error, Payload? Payload) BuildPayload(GoDecoded decoded, string account, string requestedNetwork, FabricNetwork? fabric,
        JsonObject? imageConfig, IReadOnlyList<TritonPackage> packages)
    {
        var body = decoded.Body;
        var hc = body["HostConfig"] as JsonObject ?? [];
        if (hc["Binds"] is JsonArray { Count: > 0 })
            return (TritonError.Plain(500, "host volumes are not supported", "create.named-volume"), null);

        if (fabric is null)
            return (new TritonError(404, "Error", $"network {requestedNetwork} not found", "create.network-not-found"), null);

        if (hc["VolumesFrom"] is JsonArray { Count: > 2 })
            return (TritonError.Plain(500, "too many --volumes-from: max 2", "create.too-many-volumes-from"), null);
        if (body["Volumes"] is JsonObject { Count: > 8 })
            return (TritonError.Plain(500, "too many data volumes: max 8", "create.too-many-volumes"), null);

        var env = (body["Env"] as JsonArray ?? []).Select(e => (string)e!).ToList();
        var labels = body["Labels"] as JsonObject ?? [];
        var (affinityError, affinities) = Affinities(env, labels);
        if (affinityError is not null)
            return (affinityError, null);

        var badValues = decoded.TypeErrors.Where(e => e.Path.StartsWith("Labels.", StringComparison.Ordinal))
            .Select(e => $"label \"{e.Path["Labels.".Length..]}\" value is not a string: {e.Value}").ToList();
        if (badValues.Count > 0)
            return (TritonError.Validation((badValues.Count == 1 ? "invalid label: " : "invalid labels: ") + string.Join("; ", badValues), "create.label-value"), null);
        foreach (var (key, value) in labels)
            if (TritonTagProblem(key, (string?)value ?? "") is { } problem)
                return (TritonError.Validation("invalid label: " + problem, "create.triton-label"), null);

        var (packageError, package) = ChoosePackage(hc, labels, packages);
        if (packageError is not null)
            return (packageError, null);

        var publishAll = (bool?)hc["PublishAllPorts"] ?? false;
        var (portError, published) = PublishedPorts(hc, publishAll, imageConfig);
        if (portError is not null)
            return (portError, null);

        if (IsEmpty(body["Cmd"]) && IsEmpty(body["Entrypoint"]) && IsEmpty(imageConfig?["Cmd"]) && IsEmpty(imageConfig?["Entrypoint"]))
            return (TritonError.Plain(500, "No command specified", "create.no-command"), null);

        var forward = new JsonObject();
        foreach (var field in ForwardedConfig)
            if (body[field] is { } value)
                forward[field] = value.DeepClone();
        forward["Env"] = new JsonArray(env.Where(e => !e.StartsWith("affinity:", StringComparison.Ordinal)).Select(e => (JsonNode)e).ToArray());
        var forwardLabels = (JsonObject)labels.DeepClone();
        forwardLabels["com.joyent.package"] = package.Name;
        if (affinities.Count > 0)
            forwardLabels[AffinitiesLabel] = new JsonArray(affinities.Select(a => (JsonNode)a.Expression).ToArray()).ToJsonString();
        forward["Labels"] = forwardLabels;

        var links = (hc["Links"] as JsonArray ?? []).Select(l => (string)l!).ToList();
        var record = new ContainerRecord(account, published, publishAll, links, fabric.Name);
        var fhc = new JsonObject
        {
            ["NetworkMode"] = fabric.EngineName, // own IP on the fabric's bridge; never PortBindings: no host port is ever bound
            ["Memory"] = package.MemoryMiB * 1024 * 1024,
            ["ContainerIDFile"] = record.Encode(),
        };
        foreach (var field in new[] { "Dns", "DnsSearch", "ExtraHosts", "VolumesFrom", "AutoRemove" })
            if (hc[field] is { } value)
                fhc[field] = value.DeepClone();
        if (hc["RestartPolicy"] is JsonObject restart && (string?)restart["Name"] is "always" or "on-failure")
            fhc["RestartPolicy"] = restart.DeepClone();
        if (hc["LogConfig"] is JsonObject logConfig)
            fhc["LogConfig"] = new JsonObject { ["Type"] = "json-file", ["Config"] = logConfig["Config"]?.DeepClone() ?? new JsonObject() };
        forward["HostConfig"] = fhc;
        return (null, new Payload(forward, record, package, affinities.Where(a => a.Equal && !a.Soft).ToList()));
    }

    /// <summary>The network a create asks for: a non-default NetworkMode, else the one network of NetworkingConfig, else the default.</summary>
    public static string RequestedNetwork(JsonObject body)
    {
        var mode = (string?)body["HostConfig"]?["NetworkMode"] ?? "";
        if (!IsDefaultNetwork(mode))
            return mode;
        return body["NetworkingConfig"]?["EndpointsConfig"] is JsonObject { Count: 1 } endpoints ? endpoints.First().Key : mode;
    }

    /// <summary>affinity.js: <c>-e affinity:…</c> entries and the <c>com.docker.swarm.affinities</c> label, parsed as sdc-docker does.</summary>
    private static (TritonError?, List<Affinity>) Affinities(List<string> env, JsonObject labels)
    {
        var expressions = new List<string>();
        if ((string?)(labels[AffinitiesLabel] as JsonValue is { } v && v.GetValueKind() == JsonValueKind.String ? v : null) is { } label)
        {
            try
            {
                if (JsonNode.Parse(label) is not JsonArray array)
                    return (TritonError.Validation("affinities label is not an array: " + label, "create.affinity"), []);
                expressions.AddRange(array.Select(e => e?.ToString() ?? ""));
            }
            catch (JsonException e)
            {
                return (TritonError.Validation($"invalid affinities label: {JsonSerializer.Serialize(label)}: {e.Message}", "create.affinity"), []);
            }
        }
        expressions.AddRange(env.Where(e => e.StartsWith("affinity:", StringComparison.Ordinal)).Select(e => e["affinity:".Length..]));
        var parsed = new List<Affinity>();
        foreach (var expression in expressions)
        {
            var op = expression.Contains("==") && (!expression.Contains("!=") || expression.IndexOf("==", StringComparison.Ordinal) < expression.IndexOf("!=", StringComparison.Ordinal)) ? "==" : expression.Contains("!=") ? "!=" : null;
            if (op is null)
                return (TritonError.Validation($"could not find operator in filter expression: expected one of ==, !=: {JsonSerializer.Serialize(expression)}", "create.affinity"), []);
            var at = expression.IndexOf(op, StringComparison.Ordinal);
            var key = expression[..at];
            var value = expression[(at + 2)..];
            if (!FilterKey().IsMatch(key))
                return (TritonError.Validation($"invalid key in filter expression: {JsonSerializer.Serialize(expression)}: {JsonSerializer.Serialize(key)} does not match /^[a-z_][a-z0-9\\-_.]+$/i", "create.affinity"), []);
            var soft = value.StartsWith('~');
            if (soft)
                value = value[1..];
            if (!FilterValue().IsMatch(value))
                return (TritonError.Validation($"invalid value in filter expression: {JsonSerializer.Serialize(expression)}: {JsonSerializer.Serialize(value)} does not match /^[-a-z0-9:_\\s.*/()?+[\\]\\\\^$|]+$/i", "create.affinity"), []);
            parsed.Add(new Affinity(expression, key, op == "==", soft, value));
        }
        return (null, parsed);
    }

    /// <summary>The "no active containers" answer for a hard affinity nothing matches (VMAPI's NoAllocatableServersError, 409).</summary>
    public static TritonError NoAllocatableServers(Affinity affinity) => new(409, "NoAllocatableServersError",
        "problem creating container: No compute resources available: no active containers found matching " +
        (affinity.Key == "container" ? $"\"{affinity.Value}\"" : $"tag \"{affinity.Key}={affinity.Value}\"") + $" for affinity \"{affinity.Expression}\"",
        "create.affinity-unsatisfied");

    /// <summary>node-triton-tags: unknown <c>triton.*</c> names and values of the wrong type.</summary>
    private static string? TritonTagProblem(string key, string value)
    {
        if (!key.StartsWith("triton.", StringComparison.Ordinal))
            return null;
        if (!TritonTags.TryGetValue(key, out var type))
            return $"Unrecognized special triton tag \"{key}\"";
        return type switch
        {
            "boolean" when value is not ("true" or "false") => $"Triton tag \"{key}\" value must be \"true\" or \"false\": \"{value}\"",
            "number" when value.Length == 0 || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) =>
                $"Triton tag \"{key}\" value must be a number: \"{value}\"",
            _ => null,
        };
    }

    /// <summary>getPackage: <c>com.joyent.package</c> label first, else the smallest package with enough memory.</summary>
    private static (TritonError?, TritonPackage) ChoosePackage(JsonObject hc, JsonObject labels, IReadOnlyList<TritonPackage> packages)
    {
        if ((string?)labels["com.joyent.package"] is { } named)
        {
            var byName = packages.FirstOrDefault(p => p.Name == named);
            return byName is null
                ? (new TritonError(422, "NoSufficientPackage", $"no package supports the given container constraints: com.joyent.package={named}", "create.no-package"), null!)
                : (null, byName);
        }
        var bytes = hc["Memory"] is JsonValue m && m.TryGetValue<long>(out var b) ? b : 0;
        var target = bytes > 0 ? (long)Math.Ceiling(bytes / (1024.0 * 1024)) : TritonPackage.DefaultMemoryMiB;
        var fit = packages.Where(p => p.MemoryMiB >= target).MinBy(p => p.MemoryMiB);
        return fit is null
            ? (new TritonError(422, "NoSufficientPackage", $"no package supports the given container constraints: memory={HumanSize(target * 1024 * 1024)}", "create.no-package"), null!)
            : (null, fit);
    }

    /// <summary>sdc-docker common.humanSizeFromBytes: integer part and a docker --memory suffix (b, k, m, g, t).</summary>
    internal static string HumanSize(long bytes)
    {
        if (bytes == 0)
            return "0b";
        var i = (int)Math.Floor(Math.Log(bytes) / Math.Log(1024));
        return ((long)Math.Floor(bytes / Math.Pow(1024, i))).ToString(CultureInfo.InvariantCulture) + "bkmgt"[i];
    }

    /// <summary>addPublishFirewallRules: host port must equal container port; -P publishes the image's EXPOSE ports; at most 128 per protocol.</summary>
    private static (TritonError?, List<string>) PublishedPorts(JsonObject hc, bool publishAll, JsonObject? imageConfig)
    {
        var published = new SortedSet<string>(StringComparer.Ordinal);
        if (hc["PortBindings"] is JsonObject bindings)
            foreach (var (spec, hosts) in bindings)
            {
                var port = int.Parse(spec.Split('/')[0], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
                foreach (var host in hosts as JsonArray ?? [])
                    if ((string?)host?["HostPort"] is { Length: > 0 } hostPort && hostPort != port)
                        return (TritonError.Plain(500, "publish port: remapping of port numbers not allowed", "create.port-remap"), []);
                published.Add(port + "/" + spec.Split('/')[1]);
            }
        if (publishAll && imageConfig?["ExposedPorts"] is JsonObject exposed)
            foreach (var (spec, _) in exposed)
                published.Add(spec);
        foreach (var protocol in new[] { "tcp", "udp" })
            if (published.Count(p => p.EndsWith("/" + protocol, StringComparison.Ordinal)) > 128)
                return (TritonError.Plain(500, $"publish port: only support exposing 128 {protocol.ToUpperInvariant()} ports", "create.too-many-ports"), []);
        return (null, published.ToList());
    }

    /// <summary>VMAPI's alias rules (sdc-vmapi validation.js): ALIAS_RE and at most 189 characters; null when valid or absent.</summary>
    public static TritonError? CheckName(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return null;
        const string prefix = "problem creating container: Invalid VM parameters: \"alias\" (Invalid) ";
        if (!Alias().IsMatch(name))
            return new TritonError(409, "ValidationFailed", prefix + @"String does not match regexp: /^[a-zA-Z0-9][a-zA-Z0-9\_\.\-]*$/", "create.name-regexp");
        if (name.Length > 189)
            return new TritonError(409, "ValidationFailed", prefix + "String is longer than maximum of 189 characters", "create.name-length");
        return null;
    }

    /// <summary>VMAPI's Duplicate answer for an alias already in use by the account.</summary>
    public static TritonError DuplicateName() => new(409, "ValidationFailed",
        "problem creating container: Invalid VM parameters: \"alias\" (Duplicate) Already exists for this owner_uuid", "create.name-duplicate");

    private static bool IsEmpty(JsonNode? node) => node switch
    {
        null => true,
        JsonArray a => a.Count == 0,
        JsonValue v => v.GetValueKind() == JsonValueKind.String && ((string?)v)?.Length is null or 0,
        _ => false,
    };

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_\.\-]*$")] private static partial Regex Alias();
    [GeneratedRegex(@"^[a-z_][a-z0-9\-_.]+$", RegexOptions.IgnoreCase)] private static partial Regex FilterKey();
    [GeneratedRegex(@"^[-a-z0-9:_\s.*/()?+[\]\\^$|]+$", RegexOptions.IgnoreCase)] private static partial Regex FilterValue();
}
