using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace TritonMesos.E2E.Tests.Mesos;

/// <summary>A Docker command task as these tests launch it (BRIDGE networking by default, as Triton needs).</summary>
public sealed record TaskSpec(string TaskId, string Image, string Command)
{
    /// <summary>Docker network mode: BRIDGE (Triton refuses host and none), HOST, NONE or USER.</summary>
    public string Network { get; init; } = "BRIDGE";

    public double Cpus { get; init; } = 0.1;

    public double Mem { get; init; } = 32;

    /// <summary>Host ports (= container ports) mapped with BRIDGE networking; each is also asked for as a ports resource.</summary>
    public ImmutableArray<long> Ports { get; init; } = [];

    /// <summary>Docker labels passed as DockerInfo parameters (`docker run --label=k=v`), so the suite can find and clean its containers.</summary>
    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>When false the command is an argv[0] run without a shell (used to make `docker start` fail).</summary>
    public bool Shell { get; init; } = true;

    /// <summary>Grace period between SIGTERM and SIGKILL when the task is killed.</summary>
    public TimeSpan KillGracePeriod { get; init; } = TimeSpan.FromSeconds(1);

    public TaskSpec WithPorts(params long[] ports) => this with { Ports = [.. ports] };

    public TaskSpec WithLabel(string key, string value) => this with { Labels = Labels.SetItem(key, value) };

    public TaskSpec WithNetwork(string network) => this with { Network = network };

    public TaskSpec WithShell(bool shell) => this with { Shell = shell };

    /// <summary>The v1 TaskInfo for an offer from <paramref name="agentId"/>.</summary>
    public JsonObject ToTaskInfo(string agentId)
    {
        var resources = new JsonArray(ResourceSummary.Scalar("cpus", Cpus), ResourceSummary.Scalar("mem", Mem));
        if (!Ports.IsEmpty)
            resources.Add(ResourceSummary.PortsResource(Ports));

        var docker = new JsonObject
        {
            ["image"] = Image,
            ["network"] = Network,
            ["force_pull_image"] = false,
            ["parameters"] = new JsonArray(Labels.Select(l => (JsonNode)new JsonObject { ["key"] = "label", ["value"] = $"{l.Key}={l.Value}" }).ToArray()),
        };
        if (!Ports.IsEmpty)
            docker["port_mappings"] = new JsonArray(Ports.Select(p => (JsonNode)new JsonObject { ["host_port"] = p, ["container_port"] = p, ["protocol"] = "tcp" }).ToArray());

        var command = Shell
            ? new JsonObject { ["shell"] = true, ["value"] = Command }
            : new JsonObject { ["shell"] = false, ["value"] = Command };

        return new JsonObject
        {
            ["name"] = TaskId,
            ["task_id"] = new JsonObject { ["value"] = TaskId },
            ["agent_id"] = new JsonObject { ["value"] = agentId },
            ["resources"] = resources,
            ["command"] = command,
            ["container"] = new JsonObject { ["type"] = "DOCKER", ["docker"] = docker },
            ["kill_policy"] = new JsonObject { ["grace_period"] = new JsonObject { ["nanoseconds"] = (long)KillGracePeriod.TotalMilliseconds * 1_000_000 } },
        };
    }
}
