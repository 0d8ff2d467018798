using System.Text.Json.Nodes;

namespace TritonMesos.Endpoint;

/// <summary>What Triton answers where it differs from the engine: /version, /info, container inspect and list.</summary>
internal static class TritonViews
{
    private static readonly string StartedAt = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ");

    /// <summary>lib/endpoints/version.js: sdc-docker's own version, a node "GoVersion", no KernelVersion/MinAPIVersion/Components.</summary>
    public static JsonObject Version() => new()
    {
        ["ApiVersion"] = TritonConstants.ApiVersion,
        ["Arch"] = "amd64",
        ["BuildTime"] = StartedAt,
        ["GitCommit"] = "triton-mesos-endpoint",
        ["GoVersion"] = "node" + "6.17.1",
        ["Os"] = "solaris",
        ["Version"] = TritonConstants.ServerVersion,
    };

    /// <summary>lib/backends/sdc/sysinfo.js getInfo: Driver sdc, SDCAccount, SmartDataCenter; no NCPU, MemTotal, ServerVersion.</summary>
    public static JsonObject Info(string account, string datacenter, string id, int containers, int images) => new()
    {
        ["Containers"] = containers,
        ["Images"] = images,
        ["Driver"] = "sdc",
        ["DriverStatus"] = new JsonArray(new JsonArray("SDCAccount", account)),
        ["ExecutionDriver"] = "sdc-" + TritonConstants.PackageVersion,
        ["KernelVersion"] = "3.12.0-1-amd64",
        ["OperatingSystem"] = "SmartDataCenter",
        ["OSType"] = "linux",
        ["Architecture"] = "x86_64",
        ["Name"] = datacenter,
        ["ID"] = id,
        ["IndexServerAddress"] = "https://index.docker.io/v1/",
        ["LoggingDriver"] = "json-file",
        ["MemoryLimit"] = true,
        ["SwapLimit"] = true,
        ["IPv4Forwarding"] = true,
    };

    /// <summary>
    /// utils.vmobjToInspect: sdc drivers, no State.Status, NetworkMode bridge, no Networks map, published ports on the same
    /// numbers, -P and links as created. Every other host field is the engine's own value (the endpoint never sends any).
    /// </summary>
    public static void RewriteInspect(JsonObject container, ContainerRecord record, FabricNetwork? fabric)
    {
        container["Driver"] = "sdc";
        container["ExecDriver"] = "sdc-0.1";
        if (container["State"] is JsonObject state)
        {
            state.Remove("Status");
            state.Remove("Dead");
            state.Remove("Health");
        }
        if (container["HostConfig"] is JsonObject hc)
        {
            hc["NetworkMode"] = "bridge";
            hc["ContainerIDFile"] = "";
            hc["PublishAllPorts"] = record.PublishAll;
            var name = ((string?)container["Name"] ?? "").TrimStart('/');
            hc["Links"] = record.Links.Count == 0 ? null
                : new JsonArray(record.Links.Select(l => l.Split(':') is var p ? (JsonNode)$"/{p[0]}:/{name}/{p[^1]}" : null).ToArray());
            var bindings = new JsonObject();
            foreach (var spec in record.Ports)
                bindings[spec] = new JsonArray(new JsonObject { ["HostIp"] = "", ["HostPort"] = spec.Split('/')[0] });
            hc["PortBindings"] = bindings;
        }
        if (container["NetworkSettings"] is JsonObject ns)
        {
            // Triton: the primary NIC's address at the top level, no Networks map (Mesos falls back to IPAddress).
            var nic = fabric is null ? null : ns["Networks"]?[fabric.EngineName];
            ns["Bridge"] = nic is null ? "" : "net0";
            ns["IPAddress"] = (string?)nic?["IPAddress"] ?? "";
            ns["IPPrefixLen"] = (int?)nic?["IPPrefixLen"] ?? 0;
            ns["Gateway"] = (string?)nic?["Gateway"] ?? "";
            ns["MacAddress"] = (string?)nic?["MacAddress"] ?? "";
            ns.Remove("Networks");
            ns.Remove("SandboxKey");
            ns["PortMapping"] = null;
            var ports = new JsonObject();
            if (container["Config"]?["ExposedPorts"] is JsonObject exposed)
                foreach (var (spec, _) in exposed)
                    ports[spec] = null;
            foreach (var spec in record.Ports)
                ports[spec] = new JsonArray(new JsonObject { ["HostIp"] = "0.0.0.0", ["HostPort"] = spec.Split('/')[0] });
            ns["Ports"] = ports;
        }
    }

    /// <summary>listContainers: Ports as {IP 0.0.0.0, PrivatePort p, PublicPort p}, NetworkMode bridge.</summary>
    public static void RewriteListEntry(JsonObject entry, ContainerRecord record)
    {
        entry["Ports"] = new JsonArray(record.Ports.Select(spec =>
        {
            var parts = spec.Split('/');
            var port = int.Parse(parts[0]);
            return (JsonNode)new JsonObject { ["IP"] = "0.0.0.0", ["PrivatePort"] = port, ["PublicPort"] = port, ["Type"] = parts[1] };
        }).ToArray());
        if (entry["HostConfig"] is JsonObject hc)
            hc["NetworkMode"] = "bridge";
        entry.Remove("NetworkSettings");
    }

    /// <summary>sdc-docker's napiNetworkToDockerNetwork for a fabric: Driver Triton, Scope overlay, Config[0] subnet and gateway, the mtu option.</summary>
    public static JsonObject Network(FabricNetwork fabric, string id) => new()
    {
        ["Driver"] = "Triton",
        ["Id"] = id,
        ["IPAM"] = new JsonObject { ["Driver"] = "default", ["Options"] = null },
        ["Name"] = fabric.Name,
        ["Options"] = new JsonObject { ["com.docker.network.driver.mtu"] = fabric.Mtu.ToString() },
        ["Scope"] = "overlay",
        ["Config"] = new JsonArray(new JsonObject { ["Subnet"] = fabric.Subnet, ["Gateway"] = fabric.Gateway }),
    };
}
