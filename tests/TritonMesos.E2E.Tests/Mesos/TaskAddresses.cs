using System.Text.Json;

namespace TritonMesos.E2E.Tests.Mesos;

/// <summary>One task's address as a Mesos-DNS-style client finds it: the container IP from the status's network_infos and a port.</summary>
public sealed record TaskAddress(string TaskId, string State, string Ip, long Port)
{
    public override string ToString() => $"{TaskId} ({State}) at {Ip}:{Port}";
}

/// <summary>Reads container IPs, health and ports out of TaskStatus JSON (v1 scheduler events and the master's /master/state).</summary>
public static class TaskAddresses
{
    /// <summary>The IP addresses in <c>container_status.network_infos[].ip_addresses[].ip_address</c> of a TaskStatus.</summary>
    public static IReadOnlyList<string> ContainerIps(JsonElement status)
    {
        if (!status.TryGetProperty("container_status", out var container) || !container.TryGetProperty("network_infos", out var infos))
            return [];
        return infos.EnumerateArray()
            .SelectMany(info => info.TryGetProperty("ip_addresses", out var ips) ? ips.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(ip => ip.TryGetProperty("ip_address", out var a) ? a.GetString() : null)
            .OfType<string>().ToList();
    }

    /// <summary>The <c>healthy</c> field of a TaskStatus, or null when the status has none.</summary>
    public static bool? Healthy(JsonElement status) =>
        status.TryGetProperty("healthy", out var healthy) && healthy.ValueKind is JsonValueKind.True or JsonValueKind.False ? healthy.GetBoolean() : null;

    /// <summary>The latest status of a task in /master/state (its <c>statuses</c> array), or null.</summary>
    public static JsonElement? LatestStatus(JsonElement task) =>
        task.TryGetProperty("statuses", out var statuses) && statuses.GetArrayLength() > 0 ? statuses[statuses.GetArrayLength() - 1] : null;

    /// <summary>The container ports of a task's Docker port mappings in /master/state.</summary>
    public static IReadOnlyList<long> ContainerPorts(JsonElement task) =>
        task.TryGetProperty("container", out var container) && container.TryGetProperty("docker", out var docker)
            && docker.TryGetProperty("port_mappings", out var mappings)
            ? mappings.EnumerateArray().Select(m => m.GetProperty("container_port").GetInt64()).ToList()
            : [];

    /// <summary>The ports a task names in its DiscoveryInfo (<c>discovery.ports.ports[].number</c>), as Marathon sets them.</summary>
    public static IReadOnlyList<long> DiscoveryPorts(JsonElement task) =>
        task.TryGetProperty("discovery", out var discovery) && discovery.TryGetProperty("ports", out var ports)
            && ports.TryGetProperty("ports", out var list)
            ? list.EnumerateArray().Select(p => p.GetProperty("number").GetInt64()).ToList()
            : [];

    /// <summary>The ports a status publishes on the container's address: <c>network_infos[].port_mappings[].host_port</c>.</summary>
    public static IReadOnlyList<long> PublishedPorts(JsonElement status) =>
        status.TryGetProperty("container_status", out var container) && container.TryGetProperty("network_infos", out var infos)
            ? infos.EnumerateArray()
                .SelectMany(info => info.TryGetProperty("port_mappings", out var m) ? m.EnumerateArray() : Enumerable.Empty<JsonElement>())
                .Select(m => m.GetProperty("host_port").GetInt64()).ToList()
            : [];

    /// <summary>
    /// What Mesos-DNS with <c>IPSources: ["netinfo", …]</c> finds, read the way a client of it connects: every RUNNING
    /// task's container IP from its latest status, with the ports the status says are published there
    /// (<c>network_infos[].port_mappings</c>), else the ports of its DiscoveryInfo, else the container ports of its Docker
    /// port mappings (Marathon's container networking).
    /// </summary>
    public static IReadOnlyList<TaskAddress> Discover(JsonElement state) =>
        MasterState.Tasks(state)
            .Where(t => t.State == "TASK_RUNNING")
            .SelectMany(t =>
            {
                var status = LatestStatus(t.Task);
                if (status is null)
                    return [];
                var published = PublishedPorts(status.Value);
                var ports = published.Count > 0 ? published : DiscoveryPorts(t.Task) is { Count: > 0 } named ? named : ContainerPorts(t.Task);
                return ContainerIps(status.Value).Take(1).SelectMany(ip => ports.Select(port => new TaskAddress(t.TaskId, t.State, ip, port)));
            })
            .ToList();
}
