using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TritonMesos.Endpoint;

/// <summary>
/// Triton's container-create contract, in the order sdc-docker applies it, on the canonical model that
/// <see cref="GoJson"/> decoded: <see cref="Validate"/> (lib/validate.js), then the image check, then
/// <see cref="BuildPayload"/> (buildVmPayload in lib/backends/sdc/containers.js), then <see cref="CheckName"/> (sdc-vmapi's alias rules).
/// </summary>
internal static partial class CreateRules
{
    /// <summary>The type checks validate.js makes, in its order; other fields' type errors follow (Docker's engine would refuse them).</summary>
    private static readonly string[] TritonTypeOrder =
        ["Image", "HostConfig", "Name", "Cmd", "Env", "Entrypoint", "HostConfig.ExtraHosts", "HostConfig.PublishAllPorts", "HostConfig.PortBindings"];

    /// <summary>validate.js <c>validateCreateContainer</c>: shape checks, network mode, volume names, ports, log driver, binds.</summary>
    public static TritonError? Validate(GoDecoded decoded)
    {
        var body = decoded.Body;
        if (body["Image"] is null)
            return TritonError.Validation("\"Image\" must be a string", "create.image-type");
        var typeErrors = decoded.TypeErrors
            .Where(e => !e.Path.StartsWith("Labels.", StringComparison.Ordinal) && e.Path != "HostConfig.Memory")
            .OrderBy(e => Array.IndexOf(TritonTypeOrder, e.Path) is var i && i < 0 ? int.MaxValue : i).ToList();
        if (typeErrors.FirstOrDefault() is { } typeError)
            return typeError.Path == "HostConfig.ExtraHosts"
                ? TritonError.Validation("\"HostConfig.Entrypoint\" must be an array of strings", "create.extra-hosts") // sic, as in sdc-docker
                : TritonError.Validation($"\"{typeError.Path}\" must be {typeError.Expected}", TypeRule(typeError.Path));

        var hc = body["HostConfig"] as JsonObject ?? [];
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
                if (!PortNumber().IsMatch(parts[0]) || !int.TryParse(parts[0], out var port) || port < 1 || port > 65535)
                    return TritonError.Validation("HostConfig.PortBindings: invalid port number", "create.port-number");
                if (parts[1] is not ("tcp" or "udp"))
                    return TritonError.Validation("HostConfig.PortBindings: unknown protocol: must be tcp or udp", "create.port-protocol");
            }

        if (hc["LogConfig"] is JsonObject logConfig)
        {
            var driver = (string?)logConfig["Type"] ?? "";
            if (driver.Length > 0 && driver != "json-file")
                return TritonError.Validation($"unsupported log driver: {driver}", "create.log-driver");
            if (logConfig["Config"] is JsonObject logOptions && logOptions.Select(o => o.Key).FirstOrDefault(k => k is not ("max-size" or "max-file")) is { } opt)
                return TritonError.Validation($"unknown log opt: '{opt}' for {(driver.Length > 0 ? driver : "json-file")} driver", "create.log-opt");
        }

        if (hc["Binds"] is JsonArray { Count: > 0 } binds)
        {
            var problems = binds.Select(b => BindProblem((string?)b ?? "")).Where(p => p is not null).ToList();
            if (problems.Count > 0)
                return TritonError.Validation("Invalid binds: " + string.Join(",", problems), "create.binds");
        }
        return null;
    }

    private static string TypeRule(string path) => path switch
    {
        "Image" => "create.image-type",
        "HostConfig" => "create.hostconfig-type",
        "Name" => "create.name-type",
        "Cmd" or "Env" or "Entrypoint" => "create.string-array",
        "HostConfig.PublishAllPorts" => "create.publish-all-ports-type",
        "HostConfig.PortBindings" => "create.port-bindings-type",
        _ => "create.field-type",
    };

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

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_\.\-]+$")] private static partial Regex VolumeName();
    [GeneratedRegex(@"^[0-9]+$")] private static partial Regex PortNumber();
}
