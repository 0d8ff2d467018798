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

    /// <summary>
    /// What Mesos-DNS with <c>IPSources: ["netinfo", …]</c> and a client that uses container ports (Marathon's container
    /// networking) would find: every RUNNING task's container IP from its latest status, with each container port.
    /// </summary>
    public static IReadOnlyList<TaskAddress> Discover(JsonElement state) =>
        MasterState.Tasks(state)
            .Where(t => t.State == "TASK_RUNNING")
            .SelectMany(t =>
            {
                var status = LatestStatus(t.Task);
                var ips = status is null ? [] : ContainerIps(status.Value);
                return ips.Take(1).SelectMany(ip => ContainerPorts(t.Task).Select(port => new TaskAddress(t.TaskId, t.State, ip, port)));
            })
            .ToList();
}
