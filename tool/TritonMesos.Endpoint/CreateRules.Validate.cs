using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TritonMesos.Endpoint;

/// <summary>
/// Triton's container-create contract, in the order sdc-docker applies it: <see cref="Validate"/> (lib/validate.js),
/// then the image check, then <see cref="BuildPayload"/> (buildVmPayload in lib/backends/sdc/containers.js),
/// then <see cref="CheckName"/> (sdc-vmapi's alias rules).
/// </summary>
internal static partial class CreateRules
{
    /// <summary>validate.js <c>validateCreateContainer</c>: shape checks, network mode, volume names, ports, log driver, binds.</summary>
    public static TritonError? Validate(JsonObject body)
    {
        if (body["Image"] is not JsonValue image || image.GetValueKind() != JsonValueKind.String)
            return TritonError.Validation("\"Image\" must be a string", "create.image-type");
        var hostConfig = body["HostConfig"];
        if (hostConfig is not null and not JsonObject)
            return TritonError.Validation("\"HostConfig\" must be an object", "create.hostconfig-type");
        if (body["Name"] is { } name && name.GetValueKind() != JsonValueKind.String)
            return TritonError.Validation("\"Name\" must be a string", "create.name-type");
        foreach (var field in new[] { "Cmd", "Env", "Entrypoint" })
            if (!IsNullOrStringArray(body[field]))
                return TritonError.Validation($"\"{field}\" must be an array of strings", "create.string-array");
        var hc = hostConfig as JsonObject ?? [];
        if (!IsNullOrStringArray(hc["ExtraHosts"]))
            return TritonError.Validation("\"HostConfig.Entrypoint\" must be an array of strings", "create.extra-hosts"); // sic, as in sdc-docker
        if (hc["PublishAllPorts"] is { } publishAll && publishAll.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            return TritonError.Validation("\"HostConfig.PublishAllPorts\" must be a boolean", "create.publish-all-ports-type");
        if (hc["PortBindings"] is { } bindings && bindings is not JsonObject)
            return TritonError.Validation("\"HostConfig.PortBindings\" must be an object", "create.port-bindings-type");

        var networkMode = (string?)hc["NetworkMode"] ?? "";
        if (networkMode is "host" or "none")
            return TritonError.NotImplemented($"NetworkMode {networkMode} is not supported", "create.network-mode");
        if (networkMode.StartsWith("container:", StringComparison.Ordinal))
            return TritonError.NotImplemented("Container networking is not supported", "create.network-mode-container");

        if (body["Volumes"] is JsonObject volumes)
            foreach (var (path, _) in volumes)
            {
                if (!path.StartsWith('/'))
                    return TritonError.Plain(500, $"Invalid volume name \"{path}\" must start with \"/\"", "create.volume-name-relative");
                if (path.Trim('/').Length == 0)
                    return TritonError.Plain(500, "Invalid volume name: must contain at least one non-/ character", "create.volume-name-root");
                if (path.Contains('\0'))
                    return TritonError.Plain(500, "Invalid volume name: cannot contain \\0", "create.volume-name-nul");
            }

        if (!IsDefaultNetwork(networkMode) && hc["Links"] is JsonArray { Count: > 0 })
            return TritonError.NotImplemented("user-defined networking links", "create.links-with-network");

        if (hc["PortBindings"] is JsonObject portBindings)
            foreach (var (spec, _) in portBindings)
            {
                var parts = spec.Split('/');
                if (parts.Length != 2)
                    return TritonError.Validation("HostConfig.PortBindings: port specification incorrect: must be \"number/protocol\"", "create.port-spec");
                if (!int.TryParse(parts[0], out var port) || port < 1 || port > 65535)
                    return TritonError.Validation("HostConfig.PortBindings: invalid port number", "create.port-number");
                if (parts[1] is not ("tcp" or "udp"))
                    return TritonError.Validation("HostConfig.PortBindings: unknown protocol: must be tcp or udp", "create.port-protocol");
            }

        if (hc["LogConfig"] is JsonObject logConfig && (string?)logConfig["Type"] is { Length: > 0 } driver && driver != "json-file")
            return TritonError.Validation($"unsupported log driver: {driver}", "create.log-driver");

        if (hc["Binds"] is JsonArray { Count: > 0 } binds)
        {
            var problems = binds.Select(b => BindProblem((string?)b ?? "")).Where(p => p is not null).ToList();
            if (problems.Count > 0)
                return TritonError.Validation("Invalid binds: " + string.Join(",", problems), "create.binds");
        }
        return null;
    }

    /// <summary>validate.js <c>validateBinds</c> for one entry; null when it is a well-formed named volume.</summary>
    private static string? BindProblem(string bind)
    {
        var parts = bind.Split(':');
        if (parts.Length is < 2 or > 3)
            return $"{bind}: {bind} is not of the form: volumeName:/mount/point[:flags]";
        if (!VolumeName().IsMatch(parts[0]))
            return $"{bind}: {parts[0]} is not a valid volume name";
        if (parts.Length == 3)
        {
            if (parts[2].Length == 0)
                return $"{bind}: an empty flag is not a valid flag";
            foreach (var flag in parts[2].Split(','))
                if (flag is not ("ro" or "rw"))
                    return $"{bind}: \"{flag}\" is not a valid flag";
        }
        return null;
    }

    internal static bool IsDefaultNetwork(string mode) => mode is "" or "default" or "bridge";

    private static bool IsNullOrStringArray(JsonNode? node) =>
        node is null || node is JsonArray array && array.All(e => e is JsonValue v && v.GetValueKind() == JsonValueKind.String);

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_\.\-]+$")] private static partial Regex VolumeName();
}
