using System.Text.Json;
using System.Text.Json.Nodes;
using TritonMesos.E2E.Tests.Fixture;
using TritonMesos.E2E.Tests.Frameworks;
using TritonMesos.E2E.Tests.Mesos;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.E2E.Tests.Scenarios;

/// <summary>
/// Scenario frameworks: app definitions as real frameworks write them, launched by frameworks this project did not write
/// (tobilg's npm <c>mesos-framework</c> with its BRIDGE defaults, Apache's <c>mesos-execute</c> with a Marathon-style
/// TaskInfo), each served by busybox httpd on container port 80 while the offer's host port differs. "On" is the Triton
/// profile; "off" is the same agent with only the feature's flag at its upstream default.
/// </summary>
public sealed class FrameworkTests(E2EFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    private const long ContainerPort = 80;
    private const long FirstHostPort = 31000;
    private const string Resources = "cpus:4;mem:4096;disk:10000;ports:[31000-31099]";
    private const string WebCommand = "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www";

    [SkippableFact]
    public Task On_BridgeAppOfAThirdPartyFramework_EveryInstanceServesOnItsOwnIp() =>
        ScenarioAsync("frameworks-bridge", "on (triton profile)", c => Triton(c).With("resources", Resources), async (context, cluster, agent) =>
        {
            await RequireNodeFrameworkAsync();
            await using var app = StartBridgeApp(context, cluster, instances: 3);
            var running = await Wait.ForAsync("3 RUNNING instances of the bridge app", context.TaskTimeout, () =>
            {
                var latest = LatestByTask(app.Statuses);
                return Task.FromResult(latest.Count(s => State(s) == "TASK_RUNNING") >= 3 ? latest : null);
            }, TimeSpan.FromSeconds(2), () => app.Tail(10));

            var ips = running.Where(s => State(s) == "TASK_RUNNING").Select(s => TaskAddresses.ContainerIps(s).FirstOrDefault()).ToList();
            Output.WriteLine("container IPs in the RUNNING statuses: " + string.Join(", ", ips));
            Assert.All(ips, ip => Assert.False(string.IsNullOrEmpty(ip), "a RUNNING status without a container IP in container_status.network_infos"));
            Assert.Equal(ips.Count, ips.Distinct().Count());
            foreach (var status in running.Where(s => State(s) == "TASK_RUNNING"))
                Assert.Equal([ContainerPort], TaskAddresses.PublishedPorts(status));

            foreach (var ip in ips)
                Output.WriteLine($"GET http://{ip}:{ContainerPort}/ -> {await GetAsync(ip!, ContainerPort)}");

            // The framework mapped a host port from the offer (31000-31099) to container port 80: a real remapping.
            var mappings = MasterState.Tasks(await cluster.StateAsync()).Where(t => t.State == "TASK_RUNNING")
                .SelectMany(t => t.Task.GetProperty("container").GetProperty("docker").GetProperty("port_mappings").EnumerateArray())
                .Select(m => (Host: m.GetProperty("host_port").GetInt64(), Container: m.GetProperty("container_port").GetInt64())).ToList();
            Output.WriteLine("port mappings the framework asked for: " + string.Join(", ", mappings.Select(m => $"{m.Host}->{m.Container}")));
            Assert.All(mappings, m => Assert.True(m.Host >= FirstHostPort && m.Container == ContainerPort, $"mapping {m.Host}->{m.Container}"));

            foreach (var container in await cluster.TaskContainersAsync())
            {
                var inspect = await context.Engine.InspectAsync(container.ID);
                if (inspect is null || !inspect.State.Running)
                    continue;
                var bindings = (inspect.HostConfig.PortBindings ?? new Dictionary<string, IList<Docker.DotNet.Models.PortBinding>>())
                    .SelectMany(p => p.Value ?? []).Where(b => !string.IsNullOrEmpty(b.HostPort)).ToList();
                Output.WriteLine($"{inspect.Name}: network {inspect.HostConfig.NetworkMode}, host port bindings on the engine: {bindings.Count}");
                Assert.Empty(bindings);
            }

            await AssertDiscoverableAsync(cluster, expected: 3);
        });

    [SkippableFact]
    public Task Off_RemappedPortIsRefusedAsTritonRefusesIt() =>
        ScenarioAsync("frameworks-bridge", "off (port remapping at the upstream default)", c => Triton(c).With("resources", Resources).WithoutFlag(Features.PortRemap.DockerRemapPorts.Name), async (context, cluster, agent) =>
        {
            await RequireNodeFrameworkAsync();
            await using var app = StartBridgeApp(context, cluster, instances: 1);
            var failed = await Wait.ForAsync("the bridge app's first instance to fail", context.TaskTimeout, () =>
                Task.FromResult(app.Statuses.Where(s => State(s) == "TASK_FAILED").Select(s => new Found(s)).FirstOrDefault()),
                TimeSpan.FromSeconds(2), () => app.Tail(10));
            var message = failed.Value.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "";
            var taskId = failed.Value.GetProperty("task_id").GetProperty("value").GetString()!;
            AssertTritonRefusal(agent, taskId, message, "publish port: remapping of port numbers not allowed");
        });

    [SkippableFact]
    public Task On_MesosHttpHealthCheck_HealthyThenKilledWhenItsServerStops() =>
        ScenarioAsync("frameworks-health", "on (triton profile)", c => Triton(c).With("resources", Resources), async (context, cluster, agent) =>
        {
            var taskId = TaskId("web-checked");
            // httpd in the background and a shell in front: stopping httpd fails the check without ending the task.
            var task = WebTask(cluster, taskId, FirstHostPort + 10, "mkdir -p /www && echo ok > /www/index.html && httpd -p 80 -h /www && exec sleep 3600",
                HttpCheck(ContainerPort));
            var execute = await cluster.StartMesosExecuteAsync("health-on", task);

            var healthy = await Wait.ForAsync($"task {taskId} RUNNING and healthy in /master/state", context.TaskTimeout, async () =>
            {
                var t = MasterState.Tasks(await cluster.StateAsync()).Where(t => t.TaskId == taskId).Select(t => (JsonElement?)t.Task).LastOrDefault();
                var status = t is null ? null : TaskAddresses.LatestStatus(t.Value);
                return status is not null && TaskAddresses.Healthy(status.Value) == true ? new Found(status.Value) : null;
            }, TimeSpan.FromSeconds(2), () => "mesos-execute log: " + cluster.LogsAsync(execute, 5).GetAwaiter().GetResult());
            var ip = TaskAddresses.ContainerIps(healthy.Value).Single();
            Output.WriteLine($"{taskId} healthy at {ip}; GET -> {await GetAsync(ip, ContainerPort)}");

            var container = await TaskContainerAsync(context, taskId, TimeSpan.FromSeconds(30));
            await ExecAsync(context, container.ID, "killall", "httpd");
            Output.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] stopped httpd inside {container.Name}");

            var (exit, log) = await cluster.WaitForExitAsync(execute, context.TaskTimeout);
            var final = MasterState.Tasks(await cluster.StateAsync()).Last(t => t.TaskId == taskId);
            var last = TaskAddresses.LatestStatus(final.Task)!.Value;
            Output.WriteLine($"{taskId}: {final.State}, healthy={TaskAddresses.Healthy(last)}, reason {Reason(last)}; mesos-execute exit {exit}");
            Assert.Equal("TASK_KILLED", final.State);
            Assert.Contains(MasterState.Tasks(await cluster.StateAsync()).Where(t => t.TaskId == taskId)
                .SelectMany(t => t.Task.GetProperty("statuses").EnumerateArray()), s => TaskAddresses.Healthy(s) == false);
            Assert.Contains("TASK_KILLED", log);
        });

    [SkippableFact]
    public Task Off_MesosHttpHealthCheckIsRefusedAtLaunch() =>
        ScenarioAsync("frameworks-health", "off (container-IP checks at the upstream default)", c => Triton(c).With("resources", Resources).WithoutFlag(Features.ContainerIpChecks.DockerCheckContainerIp.Name), async (context, cluster, agent) =>
        {
            var taskId = TaskId("web-refused");
            var execute = await cluster.StartMesosExecuteAsync("health-off", WebTask(cluster, taskId, FirstHostPort + 11, WebCommand, HttpCheck(ContainerPort)));
            var (exit, log) = await cluster.WaitForExitAsync(execute, context.TaskTimeout);
            var final = MasterState.Tasks(await cluster.StateAsync()).Last(t => t.TaskId == taskId);
            var message = ReceivedMessage(log);
            Output.WriteLine($"{taskId}: {final.State}: {message}; mesos-execute exit {exit}");
            Assert.Contains(final.State, new[] { "TASK_FAILED", "TASK_ERROR" });
            Assert.Contains(Features.ContainerPid.DockerUseContainerPid.Name, message);
        });

    [SkippableFact]
    public Task On_UserNetworkApp_GetsAnIpOnItsFabric() =>
        ScenarioAsync("frameworks-fabric", "on (triton profile)", c => Triton(c).With("resources", Resources), async (context, cluster, agent) =>
        {
            var fabric = Fixture.Fabric;
            Skip.If(fabric is null, "the run's endpoint has no named fabric network");
            var taskId = TaskId("web-fabric");
            var execute = await cluster.StartMesosExecuteAsync("fabric", UserNetworkTask(cluster, taskId, fabric!.Name));
            var status = await Wait.ForAsync($"task {taskId} RUNNING with a container IP", context.TaskTimeout, async () =>
            {
                var t = MasterState.Tasks(await cluster.StateAsync()).Where(t => t.TaskId == taskId && t.State == "TASK_RUNNING").Select(t => (JsonElement?)t.Task).LastOrDefault();
                var s = t is null ? null : TaskAddresses.LatestStatus(t.Value);
                return s is not null && TaskAddresses.ContainerIps(s.Value).Count > 0 ? new Found(s.Value) : null;
            }, TimeSpan.FromSeconds(2), () => "mesos-execute log: " + cluster.LogsAsync(execute, 5).GetAwaiter().GetResult());
            var ip = TaskAddresses.ContainerIps(status.Value).First();
            Output.WriteLine($"{taskId} on fabric {fabric.Name} ({fabric.Subnet}) at {ip}; GET -> {await GetAsync(ip, ContainerPort)}");
            Assert.True(System.Net.IPNetwork.Parse(fabric.Subnet).Contains(System.Net.IPAddress.Parse(ip)), $"{ip} is not in {fabric.Name}'s subnet {fabric.Subnet}");
            await AssertDiscoverableAsync(cluster, expected: 1);
        });

    [SkippableFact]
    public Task UnknownNetwork_FailsWithTritonsMessage() =>
        ScenarioAsync("frameworks-fabric", "unknown network", c => Triton(c).With("resources", Resources), async (context, cluster, agent) =>
        {
            var taskId = TaskId("web-nonet");
            var execute = await cluster.StartMesosExecuteAsync("nonet", UserNetworkTask(cluster, taskId, "no-such-fabric"));
            var (exit, log) = await cluster.WaitForExitAsync(execute, context.TaskTimeout);
            var final = MasterState.Tasks(await cluster.StateAsync()).Last(t => t.TaskId == taskId);
            var message = ReceivedMessage(log);
            Output.WriteLine($"{taskId}: {final.State}: {message}; mesos-execute exit {exit}");
            Assert.Equal("TASK_FAILED", final.State);
            AssertTritonRefusal(agent, taskId, message, "network no-such-fabric not found");
        });

    private static async Task RequireNodeFrameworkAsync()
    {
        var reason = await NodeFramework.UnavailableReasonAsync();
        Skip.If(reason is not null, reason);
    }

    private NodeFramework StartBridgeApp(E2EContext context, MesosCluster cluster, int instances) =>
        NodeFramework.Start("bridge-app.js", new Dictionary<string, string>
        {
            ["MASTER_HOST"] = "127.0.0.1",
            ["MASTER_PORT"] = cluster.MasterPort.ToString(),
            ["APP_IMAGE"] = TritonMesos.TestSupport.DockerEngine.TestImage,
            ["APP_INSTANCES"] = instances.ToString(),
            ["APP_CONTAINER_PORT"] = ContainerPort.ToString(),
            ["APP_LABEL"] = $"{Engine.ClusterLabel}={cluster.Id}",
            ["FRAMEWORK_NAME"] = "bridge-app-" + cluster.Id,
        }, Path.Combine(cluster.LogDir, "mesos-framework-js.log"));

    private async Task AssertDiscoverableAsync(MesosCluster cluster, int expected)
    {
        var found = TaskAddresses.Discover(await cluster.StateAsync());
        Output.WriteLine("discovered from /master/state (network_infos): " + string.Join("; ", found));
        Assert.Equal(expected, found.Count);
        foreach (var address in found)
            Output.WriteLine($"GET http://{address.Ip}:{address.Port}/ -> {await GetAsync(address.Ip, address.Port)}");
    }

    /// <summary>GET http://ip:port/ from this host; asserts a 200 (retrying briefly while the server starts).</summary>
    private static async Task<string> GetAsync(string ip, long port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var body = await Wait.ForAsync($"http://{ip}:{port}/ to answer", TimeSpan.FromSeconds(30), async () =>
        {
            using var response = await http.GetAsync($"http://{ip}:{port}/");
            return response.IsSuccessStatusCode ? (await response.Content.ReadAsStringAsync()).Trim() : null;
        });
        return "200 " + body;
    }

    private static async Task ExecAsync(E2EContext context, string containerId, params string[] command)
    {
        var exec = await context.Engine.Client.Exec.ExecCreateContainerAsync(containerId, new Docker.DotNet.Models.ContainerExecCreateParameters { Cmd = command });
        using var stream = await context.Engine.Client.Exec.StartAndAttachContainerExecAsync(exec.ID, false);
        await stream.ReadOutputToEndAsync(CancellationToken.None);
    }

    private static JsonObject HttpCheck(long port) => new()
    {
        ["type"] = "HTTP",
        ["http"] = new JsonObject { ["port"] = port, ["path"] = "/" },
        ["delay_seconds"] = 0,
        ["interval_seconds"] = 2,
        ["timeout_seconds"] = 5,
        ["consecutive_failures"] = 3,
        ["grace_period_seconds"] = 20,
    };

    /// <summary>A Marathon-style BRIDGE TaskInfo: host port <paramref name="hostPort"/> from the offer mapped to container port 80.</summary>
    private static JsonObject WebTask(MesosCluster cluster, string taskId, long hostPort, string command, JsonObject? healthCheck)
    {
        var docker = DockerInfo(cluster, taskId, "BRIDGE");
        docker["port_mappings"] = new JsonArray(new JsonObject { ["host_port"] = hostPort, ["container_port"] = ContainerPort, ["protocol"] = "tcp" });
        var task = BaseTask(taskId, command, new JsonObject { ["type"] = "DOCKER", ["docker"] = docker });
        task["resources"]!.AsArray().Add(ResourceSummary.PortsResource([hostPort]));
        if (healthCheck is not null)
            task["health_check"] = healthCheck;
        return task;
    }

    /// <summary>A USER-network TaskInfo (Marathon's container networking): the network named in network_infos, no port
    /// mapping (a container port without a host port has no DockerInfo mapping: Mesos requires a port resource for each).</summary>
    private static JsonObject UserNetworkTask(MesosCluster cluster, string taskId, string network)
    {
        var docker = DockerInfo(cluster, taskId, "USER");
        var task = BaseTask(taskId, WebCommand, new JsonObject
        {
            ["type"] = "DOCKER",
            ["docker"] = docker,
            ["network_infos"] = new JsonArray(new JsonObject { ["name"] = network }),
        });
        // Marathon names a container-networking app's container ports in DiscoveryInfo; Mesos-DNS' SRV records use them.
        task["discovery"] = new JsonObject
        {
            ["visibility"] = "FRAMEWORK",
            ["name"] = taskId,
            ["ports"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["number"] = ContainerPort, ["protocol"] = "tcp", ["name"] = "http" }) },
        };
        return task;
    }

    private static JsonObject DockerInfo(MesosCluster cluster, string taskId, string network) => new()
    {
        ["image"] = TritonMesos.TestSupport.DockerEngine.TestImage,
        ["network"] = network,
        ["force_pull_image"] = false,
        ["parameters"] = new JsonArray(
            new JsonObject { ["key"] = "label", ["value"] = $"{Engine.ClusterLabel}={cluster.Id}" },
            new JsonObject { ["key"] = "label", ["value"] = $"{MesosCluster.TaskLabel}={taskId}" }),
    };

    private static JsonObject BaseTask(string taskId, string command, JsonObject container) => new()
    {
        ["name"] = taskId,
        ["task_id"] = new JsonObject { ["value"] = taskId },
        ["agent_id"] = new JsonObject { ["value"] = "" },
        ["resources"] = new JsonArray(ResourceSummary.Scalar("cpus", 0.1), ResourceSummary.Scalar("mem", 32)),
        ["command"] = new JsonObject { ["shell"] = true, ["value"] = command },
        ["container"] = container,
    };

    /// <summary>
    /// Asserts that Triton's refusal reached the user: in the status message, or in the sandbox's stderr, where the
    /// Docker executor writes what the docker CLI printed (the status itself then says "Container exited with status 125").
    /// </summary>
    private void AssertTritonRefusal(AgentHandle agent, string taskId, string message, string refusal)
    {
        var stderr = MesosCluster.SandboxStderr(agent, taskId);
        var line = stderr.Split('\n').FirstOrDefault(l => l.Contains(refusal, StringComparison.Ordinal));
        Output.WriteLine($"{taskId}: status message \"{message}\"; sandbox stderr: {line ?? "(no line with the refusal)"}");
        Assert.True(message.Contains(refusal, StringComparison.Ordinal) || line is not null,
            $"neither the status message nor the sandbox stderr of {taskId} carries Triton's \"{refusal}\": message={message}; stderr tail={string.Join(" | ", stderr.Split('\n').TakeLast(5))}");
    }

    /// <summary>The message of the last status mesos-execute printed (the master's state drops status messages).</summary>
    private static string ReceivedMessage(string log) =>
        log.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith("message: ", StringComparison.Ordinal)) ?? "";

    private static List<JsonElement> LatestByTask(IReadOnlyList<JsonElement> statuses) =>
        statuses.GroupBy(s => s.GetProperty("task_id").GetProperty("value").GetString()).Select(g => g.Last()).ToList();

    /// <summary>A status found by a bounded wait (the wait needs a reference type).</summary>
    private sealed record Found(JsonElement Value);

    private static string? State(JsonElement status) => status.TryGetProperty("state", out var s) ? s.GetString() : null;

    private static string? Reason(JsonElement status) => status.TryGetProperty("reason", out var r) ? r.GetString() : null;
}
