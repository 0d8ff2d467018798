using System.Text.Json;
using System.Text.Json.Nodes;

namespace TritonMesos.E2E.Tests.Mesos;

/// <summary>A port range as Mesos writes it, [begin-end].</summary>
public readonly record struct PortRange(long Begin, long End)
{
    public bool Contains(long port) => port >= Begin && port <= End;

    public override string ToString() => $"[{Begin}-{End}]";
}

/// <summary>The resources of an offer or a task, reduced to what these tests look at.</summary>
public sealed record ResourceSummary(double Cpus, double Mem, IReadOnlyList<PortRange> Ports)
{
    /// <summary>True when some range covers <paramref name="port"/>.</summary>
    public bool HasPort(long port) => Ports.Any(r => r.Contains(port));

    /// <summary>Reads a v1 API Resource array (offers, TaskInfo).</summary>
    public static ResourceSummary FromResourceArray(JsonElement resources)
    {
        double cpus = 0, mem = 0;
        var ports = new List<PortRange>();
        foreach (var r in resources.EnumerateArray())
        {
            var name = r.GetProperty("name").GetString();
            if (name == "cpus")
                cpus += r.GetProperty("scalar").GetProperty("value").GetDouble();
            else if (name == "mem")
                mem += r.GetProperty("scalar").GetProperty("value").GetDouble();
            else if (name == "ports" && r.TryGetProperty("ranges", out var ranges) && ranges.TryGetProperty("range", out var list))
                foreach (var range in list.EnumerateArray())
                    ports.Add(new PortRange(range.GetProperty("begin").GetInt64(), range.GetProperty("end").GetInt64()));
        }
        return new ResourceSummary(cpus, mem, ports);
    }

    /// <summary>Reads the resources object of the master's /state (e.g. {"cpus":2,"mem":1024,"ports":"[80-80]"}).</summary>
    public static ResourceSummary FromStateObject(JsonElement resources)
    {
        double Scalar(string name) => resources.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;
        var ports = new List<PortRange>();
        if (resources.TryGetProperty("ports", out var p) && p.ValueKind == JsonValueKind.String)
            foreach (var part in p.GetString()!.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var bounds = part.Split('-');
                ports.Add(new PortRange(long.Parse(bounds[0]), long.Parse(bounds[^1])));
            }
        return new ResourceSummary(Scalar("cpus"), Scalar("mem"), ports);
    }

    public override string ToString() => $"cpus:{Cpus};mem:{Mem};ports:{(Ports.Count == 0 ? "none" : string.Join(",", Ports))}";

    /// <summary>A scalar resource in v1 JSON.</summary>
    public static JsonObject Scalar(string name, double value) =>
        new() { ["name"] = name, ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = value } };

    /// <summary>A ports resource with single-port ranges, in v1 JSON.</summary>
    public static JsonObject PortsResource(IEnumerable<long> ports) =>
        new()
        {
            ["name"] = "ports",
            ["type"] = "RANGES",
            ["ranges"] = new JsonObject { ["range"] = new JsonArray(ports.Select(p => (JsonNode)new JsonObject { ["begin"] = p, ["end"] = p }).ToArray()) },
        };
}
