using System.Net;
using System.Text.Json.Nodes;
using Docker.DotNet.Models;
using TritonMesos.TestSupport;
using Xunit;

namespace TritonMesos.Endpoint.Tests;

/// <summary>
/// Triton's network model: each container has its own IP on a fabric (an engine bridge network the endpoint owns),
/// published ports answer on that IP with no host port underneath, named fabrics are listed in Triton's shape and selected
/// with <c>--net NAME</c>; an unknown name is Triton's 404.
/// </summary>
public sealed class NetworkTests(EndpointTarget target) : IClassFixture<EndpointTarget>
{
    private const string FabricName = "tm-ep-test-fabric";

    private static string[] Httpd(string text) =>
        ["sh", "-c", $"mkdir -p /www && echo {text} > /www/index.html && exec httpd -f -p 80 -h /www"];

    private static async Task<string> GetAsync(string ip, int port)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        Exception? last = null;
        for (var i = 0; i < 40; i++)
        {
            try
            {
                return (await http.GetStringAsync($"http://{ip}:{port}/")).Trim();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e;
                await Task.Delay(250);
            }
        }
        throw new InvalidOperationException($"nothing answered at {ip}:{port}", last);
    }

    private static bool InSubnet(string ip, string subnet) => ip.StartsWith(subnet[..subnet.LastIndexOf('.')] + ".", StringComparison.Ordinal);

    [SkippableFact]
    public async Task Containers_publishing_the_same_port_each_answer_on_their_own_IP_with_no_host_port()
    {
        target.Require();
        var names = new[] { DockerTarget.NewName("web1"), DockerTarget.NewName("web2") };
        try
        {
            foreach (var name in names)
            {
                var run = await target.DockerAsync("/usr/bin/docker", ["run", "-d", "-p", "80:80", "--name", name, target.Image, .. Httpd(name)]);
                Assert.True(run.ExitCode == 0, run.StandardError);
            }
            using var client = target.CreateClient();
            var ips = new List<string>();
            foreach (var name in names)
            {
                var inspect = await client.Containers.InspectContainerAsync(name);
                Assert.True(InSubnet(inspect.NetworkSettings.IPAddress, target.Options.DefaultFabricSubnet), inspect.NetworkSettings.IPAddress);
                Assert.Equal("bridge", inspect.HostConfig.NetworkMode);
                Assert.Null(inspect.NetworkSettings.Networks);
                Assert.Equal("80", inspect.NetworkSettings.Ports["80/tcp"][0].HostPort);
                ips.Add(inspect.NetworkSettings.IPAddress);
                Assert.Equal(name, await GetAsync(inspect.NetworkSettings.IPAddress, 80));

                var engine = JsonNode.Parse((await target.Engine!.DockerAsync("container", "inspect", name)).StandardOutput)![0]!;
                Assert.Empty(engine["HostConfig"]!["PortBindings"]?.AsObject() ?? []);
                Assert.All(engine["NetworkSettings"]!["Ports"]?.AsObject() ?? [], p => Assert.Null(p.Value));
                Assert.Equal(FabricNetwork.Default.EngineName, (string?)engine["HostConfig"]!["NetworkMode"]);
            }
            Assert.Equal(ips.Count, ips.Distinct().Count());
        }
        finally
        {
            await target.RemoveAsync(names);
        }
    }

    [SkippableFact]
    public async Task Remapped_ports_keep_Triton_s_refusal()
    {
        target.Require();
        var name = DockerTarget.NewName("remap");
        var run = await target.DockerAsync("/usr/bin/docker", ["run", "-d", "-p", "8080:80", "--name", name, target.Image, "true"]);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("publish port: remapping of port numbers not allowed", run.StandardError);
        await target.RemoveAsync(name);
    }

    [SkippableFact]
    public async Task Named_fabrics_are_listed_in_Triton_s_shape_selected_by_name_and_unknown_names_are_404()
    {
        target.Require();
        var fabricSubnet = TestSubnets.Free(target.Options.DefaultFabricSubnet);
        await using var endpoint = await TritonEndpoint.StartAsync(target.Options.WithFabric(FabricName, fabricSubnet));
        var fabricTarget = new AddressTarget(endpoint.Address);
        var web = DockerTarget.NewName("fabric-web");
        var viaConfig = DockerTarget.NewName("fabric-cfg");
        try
        {
            using var http = fabricTarget.CreateHttp();
            var networks = JsonNode.Parse(await http.GetStringAsync("/v1.41/networks"))!.AsArray();
            Assert.Equal([FabricNetwork.DefaultName, FabricName], networks.Select(n => (string)n!["Name"]!).ToArray());
            var named = networks[1]!;
            Assert.Equal("Triton", (string?)named["Driver"]);
            Assert.Equal("overlay", (string?)named["Scope"]);
            Assert.Equal(fabricSubnet, (string?)named["Config"]![0]!["Subnet"]);
            Assert.Equal("1500", (string?)named["Options"]!["com.docker.network.driver.mtu"]);
            Assert.Matches("^[0-9a-f]{64}$", (string)named["Id"]!);
            Assert.Equal(FabricName, (string?)JsonNode.Parse(await http.GetStringAsync($"/v1.41/networks/{FabricName}"))!["Name"]);

            var run = await fabricTarget.DockerAsync("/usr/bin/docker", ["run", "-d", "--net", FabricName, "-p", "80:80", "--name", web, target.Image, .. Httpd("on-fabric")]);
            Assert.True(run.ExitCode == 0, run.StandardError);
            using var client = fabricTarget.CreateClient();
            var ip = (await client.Containers.InspectContainerAsync(web)).NetworkSettings.IPAddress;
            Assert.True(InSubnet(ip, fabricSubnet), ip);
            Assert.Equal("on-fabric", await GetAsync(ip, 80));

            await client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = target.Image, Name = viaConfig, Cmd = ["sleep", "30"],
                NetworkingConfig = new NetworkingConfig { EndpointsConfig = new Dictionary<string, EndpointSettings> { [FabricName] = new() } },
            });
            await client.Containers.StartContainerAsync(viaConfig, new ContainerStartParameters());
            Assert.True(InSubnet((await client.Containers.InspectContainerAsync(viaConfig)).NetworkSettings.IPAddress, fabricSubnet));

            // Raw HTTP, not the CLI: a modern CLI takes any 404 on create for a missing image and tries to pull it.
            var started = DateTime.UtcNow;
            var unknown = await RawHttp.SendAsync(endpoint.HttpUri, "POST", "/v1.41/containers/create",
                $"{{\"Image\":\"{target.Image}\",\"Cmd\":[\"true\"],\"HostConfig\":{{\"NetworkMode\":\"tm-ep-no-such-net\"}}}}");
            Assert.Equal(404, unknown.Status);
            Assert.StartsWith("(Error) network tm-ep-no-such-net not found (", unknown.Body);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));
            var unknownInspect = await http.GetAsync("/v1.41/networks/tm-ep-no-such-net");
            Assert.Equal(HttpStatusCode.NotFound, unknownInspect.StatusCode);

            var create = await fabricTarget.DockerAsync("/usr/bin/docker", ["network", "create", "tm-ep-refused-net"]);
            Assert.NotEqual(0, create.ExitCode);
            Assert.Contains("(NotImplemented) network create is not implemented", create.StandardError);
        }
        finally
        {
            await target.RemoveAsync(web, viaConfig);
            await target.Engine!.DockerAsync("network", "rm", new FabricNetwork(FabricName, fabricSubnet).EngineName);
        }
    }

    [SkippableFact]
    public async Task A_fabric_whose_engine_network_has_another_subnet_is_a_clear_start_error()
    {
        target.Require();
        var name = "tm-ep-clash-" + Guid.NewGuid().ToString("N")[..6];
        var engineName = new FabricNetwork(name, "10.0.0.0/24").EngineName;
        var actual = TestSubnets.Free(target.Options.DefaultFabricSubnet);
        var configured = TestSubnets.Free(target.Options.DefaultFabricSubnet, actual);
        try
        {
            Assert.Equal(0, (await target.Engine!.DockerAsync("network", "create", "--subnet", actual, engineName)).ExitCode);
            var e = await Assert.ThrowsAsync<TritonMesosException>(() =>
                TritonEndpoint.StartAsync(target.Options.WithFabric(name, configured)));
            Assert.Contains($"already exists with subnet {actual}", e.Message);
        }
        finally
        {
            await target.Engine!.DockerAsync("network", "rm", engineName);
        }
    }

    [SkippableFact]
    public async Task Docker_run_on_an_unknown_network_ends_with_Triton_s_message_on_an_endpoint_without_registries()
    {
        target.Require();
        await using var endpoint = await TritonEndpoint.StartAsync(target.Options.WithRegistries());
        var cli = new AddressTarget(endpoint.Address);
        var started = DateTime.UtcNow;
        // The CLI takes the create's 404 for a missing image, pulls (answered "up to date": the engine holds it), creates again.
        var run = await cli.DockerAsync("/usr/bin/docker", ["run", "--net", "tm-ep-no-such-net", target.Image, "true"]);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("(Error) network tm-ep-no-such-net not found", run.StandardError);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60));
        Assert.Contains(endpoint.Log.Entries, e => e.Rule == "image.present-locally");
        var pull = await cli.DockerAsync("/usr/bin/docker", ["pull", "127.0.0.1:1/not-here:latest"]);
        Assert.NotEqual(0, pull.ExitCode);
        Assert.Contains("registry 127.0.0.1:1 is not one this endpoint serves images from (none)", pull.StandardError);
    }

    [SkippableFact]
    public async Task A_fabric_network_removed_while_the_endpoint_runs_is_recreated()
    {
        target.Require();
        var fabric = new FabricNetwork("tm-ep-recreate", TestSubnets.Free(target.Options.DefaultFabricSubnet));
        await using var endpoint = await TritonEndpoint.StartAsync(target.Options.WithFabric(fabric.Name, fabric.Subnet));
        var names = new[] { DockerTarget.NewName("recreate1"), DockerTarget.NewName("recreate2") };
        try
        {
            using var client = new AddressTarget(endpoint.Address).CreateClient();
            foreach (var name in names)
            {
                await client.Containers.CreateContainerAsync(new CreateContainerParameters
                {
                    Image = target.Image, Name = name, Cmd = ["true"], HostConfig = new HostConfig { NetworkMode = fabric.Name },
                });
                if (name == names[0])
                    Assert.Equal(0, (await target.Engine!.DockerAsync("network", "rm", fabric.EngineName)).ExitCode); // after the create, before the start
                await client.Containers.StartContainerAsync(name, new ContainerStartParameters());
                Assert.Equal(0, (await client.Containers.WaitContainerAsync(name)).StatusCode);
            }
            Assert.Equal(0, (await target.Engine!.DockerAsync("network", "inspect", fabric.EngineName)).ExitCode);
        }
        finally
        {
            await target.RemoveAsync(names);
            await target.Engine!.DockerAsync("network", "rm", fabric.EngineName);
        }
    }
}
