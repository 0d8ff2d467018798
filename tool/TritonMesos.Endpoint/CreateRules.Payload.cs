using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TritonMesos.Endpoint;

internal static partial class CreateRules
{
    /// <summary>HostConfig fields no sdc-docker code path reads: accepted and dropped before the engine sees them.</summary>
    internal static readonly string[] IgnoredHostConfig =
    [
        "Privileged", "PidMode", "IpcMode", "UTSMode", "UsernsMode", "CgroupnsMode", "Cgroup", "CgroupParent", "CapAdd", "CapDrop",
        "Capabilities", "Devices", "DeviceRequests", "DeviceCgroupRules", "CpuShares", "CpuQuota", "CpuPeriod", "NanoCpus",
        "CpusetCpus", "CpusetMems", "CpuRealtimePeriod", "CpuRealtimeRuntime", "CpuCount", "CpuPercent", "BlkioWeight",
        "BlkioWeightDevice", "BlkioDeviceReadBps", "BlkioDeviceWriteBps", "BlkioDeviceReadIOps", "BlkioDeviceWriteIOps",
        "MemoryReservation", "MemorySwap", "MemorySwappiness", "KernelMemory", "KernelMemoryTCP", "OomScoreAdj", "OomKillDisable",
        "PidsLimit", "DnsOptions", "Mounts", "AutoRemove", "Tmpfs", "VolumeDriver", "ReadonlyRootfs", "SecurityOpt", "StorageOpt",
        "Sysctls", "Ulimits", "ShmSize", "Init", "Runtime", "Isolation", "MaskedPaths", "ReadonlyPaths",
    ];

    /// <summary>Config fields no sdc-docker code path reads.</summary>
    internal static readonly string[] IgnoredConfig = ["Healthcheck", "StopSignal", "StopTimeout", "MacAddress"];

    /// <summary>The body the engine gets, the ports published Triton-style and the package chosen.</summary>
    public sealed record Payload(JsonObject Body, IReadOnlyList<string> PublishedPorts, TritonPackage Package, IReadOnlyList<string> Dropped);

    /// <summary>buildVmPayload: volumes, networks, labels, package, published ports and command; returns the refusal or the engine body.</summary>
    public static (TritonError? Error, Payload? Payload) BuildPayload(JsonObject body, JsonObject? imageConfig, IReadOnlyList<TritonPackage> packages)
    {
        var hc = body["HostConfig"] as JsonObject ?? [];
        if (hc["Binds"] is JsonArray { Count: > 0 })
            return (TritonError.Plain(500, "host volumes are not supported", "create.named-volume"), null);

        var networkMode = (string?)hc["NetworkMode"] ?? "";
        if (!IsDefaultNetwork(networkMode))
            return (new TritonError(404, "Error", $"network {networkMode} not found", "create.network-not-found"), null);

        if (hc["VolumesFrom"] is JsonArray { Count: > 2 })
            return (TritonError.Plain(500, "too many --volumes-from: max 2", "create.too-many-volumes-from"), null);
        if (body["Volumes"] is JsonObject { Count: > 8 })
            return (TritonError.Plain(500, "too many data volumes: max 8", "create.too-many-volumes"), null);

        var labels = body["Labels"] as JsonObject ?? [];
        var badValues = labels.Where(l => l.Value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            .Select(l => $"label \"{l.Key}\" value is not a string: {l.Value?.ToJsonString() ?? "null"}").ToList();
        if (badValues.Count > 0)
            return (TritonError.Validation((badValues.Count == 1 ? "invalid label: " : "invalid labels: ") + string.Join("; ", badValues), "create.label-value"), null);
        foreach (var (key, _) in labels)
            if (key.StartsWith("triton.", StringComparison.Ordinal) && key is not ("triton.cns.services" or "triton.cns.disable" or "triton.network.public"))
                return (TritonError.Validation($"invalid label: Unrecognized special triton tag \"{key}\"", "create.triton-label"), null);

        var (packageError, package) = ChoosePackage(hc, labels, packages);
        if (packageError is not null)
            return (packageError, null);

        var (portError, published) = PublishedPorts(hc, imageConfig);
        if (portError is not null)
            return (portError, null);

        if (IsEmpty(body["Cmd"]) && IsEmpty(body["Entrypoint"]) && IsEmpty(imageConfig?["Cmd"]) && IsEmpty(imageConfig?["Entrypoint"]))
            return (TritonError.Plain(500, "No command specified", "create.no-command"), null);

        var forward = (JsonObject)body.DeepClone();
        var fhc = forward["HostConfig"] as JsonObject ?? new JsonObject();
        forward["HostConfig"] = fhc;
        var dropped = new List<string>();
        foreach (var field in IgnoredHostConfig)
            if (fhc[field] is { } value && !IsDefault(value))
                dropped.Add("HostConfig." + field);
        foreach (var field in IgnoredHostConfig)
            fhc.Remove(field);
        foreach (var field in IgnoredConfig)
        {
            if (forward[field] is { } value && !IsDefault(value))
                dropped.Add(field);
            forward.Remove(field);
        }
        if (fhc["RestartPolicy"] is JsonObject restart && (string?)restart["Name"] is not ("always" or "on-failure"))
            fhc.Remove("RestartPolicy");
        // Per-container IP on Triton; underneath, this engine has no bridge: no network and no host port.
        fhc["NetworkMode"] = "none";
        fhc.Remove("PortBindings");
        fhc.Remove("PublishAllPorts");
        fhc.Remove("Links");
        forward.Remove("NetworkingConfig");
        fhc["Memory"] = package.MemoryMiB * 1024 * 1024;
        if (forward["Env"] is JsonArray env)
            forward["Env"] = new JsonArray(env.Where(e => !((string?)e ?? "").StartsWith("affinity:", StringComparison.Ordinal)).Select(e => e?.DeepClone()).ToArray());
        var forwardLabels = (JsonObject)labels.DeepClone();
        forwardLabels["com.joyent.package"] = package.Name;
        forwardLabels[TritonConstants.PublishedPortsLabel] = string.Join(",", published);
        forward["Labels"] = forwardLabels;
        return (null, new Payload(forward, published, package, dropped));
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
    private static (TritonError?, List<string>) PublishedPorts(JsonObject hc, JsonObject? imageConfig)
    {
        var published = new SortedSet<string>(StringComparer.Ordinal);
        if (hc["PortBindings"] is JsonObject bindings)
            foreach (var (spec, hosts) in bindings)
            {
                var port = spec.Split('/')[0];
                foreach (var host in hosts as JsonArray ?? [])
                    if ((string?)host?["HostPort"] is { Length: > 0 } hostPort && hostPort != port)
                        return (TritonError.Plain(500, "publish port: remapping of port numbers not allowed", "create.port-remap"), []);
                published.Add(spec);
            }
        if (hc["PublishAllPorts"] is JsonValue all && all.GetValueKind() == JsonValueKind.True && imageConfig?["ExposedPorts"] is JsonObject exposed)
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

    private static bool IsDefault(JsonNode value) => value switch
    {
        JsonArray a => a.Count == 0,
        JsonObject o => o.Count == 0,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.False or JsonValueKind.Null => true,
            JsonValueKind.String => ((string?)v)?.Length is null or 0,
            JsonValueKind.Number => v.TryGetValue<long>(out var n) && n is 0 or -1,
            _ => false,
        },
        _ => false,
    };

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_\.\-]*$")] private static partial Regex Alias();
}
