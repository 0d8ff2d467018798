using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Docker.DotNet.Models;
using Xunit;

namespace TritonMesos.Endpoint.Tests;

/// <summary>One reproduction per bypass class: nothing Triton refuses reaches the engine, checked on the engine's own socket.</summary>
public sealed class BypassTests(EndpointTarget target) : IClassFixture<EndpointTarget>
{
    private Uri Endpoint => target.Endpoint!.HttpUri;

    private async Task<RawResponse> CreateAsync(string name, string body, string path = "/v1.41/containers/create")
    {
        target.Require();
        return await RawHttp.SendAsync(Endpoint, "POST", $"{path}?name={name}", body);
    }

    private async Task AssertNotOnEngineAsync(string name) =>
        Assert.NotEqual(0, (await target.Engine!.DockerAsync("container", "inspect", name)).ExitCode);

    [SkippableTheory]
    [InlineData("{\"Image\":\"IMG\",\"Cmd\":[\"true\"],\"HostConfig\":{\"binds\":[\"/:/host\"],\"privileged\":true,\"pidmode\":\"host\",\"capadd\":[\"ALL\"]}}", 422, "(Validation) Invalid binds: /:/host")]
    [InlineData("{\"Image\":\"IMG\",\"Cmd\":[\"true\"],\"HostConfig\":{\"NetworkMode\":\"bridge\",\"networkmode\":\"host\"}}", 400, "(NotImplemented) NetworkMode host is not supported")]
    [InlineData("{\"Image\":\"IMG\",\"Cmd\":[\"true\"],\"HostConfig\":{\"portbindings\":{\"80/tcp\":[{\"HostPort\":\"8080\"}]}}}", 500, "publish port: remapping of port numbers not allowed")]
    [InlineData("{\"Image\":\"IMG\",\"Cmd\":[\"true\"],\"HostConfig\":{},\"hostconfig\":{\"BINDS\":[\"/etc:/x\"]}}", 422, "(Validation) Invalid binds: /etc:/x")]
    [InlineData("{\"Image\":\"IMG\",\"Cmd\":[\"true\"],\"HostConfig\":{\"Binds\":[]},\"HostConfig\":{\"\\u0042inds\":[\"/:/h\"]}}", 422, "(Validation) Invalid binds: /:/h")]
    [InlineData("{\"Image\":\"IMG\",\"Cmd\":[\"true\"],\"HostConfig\":{\"Networ\u212AMode\":\"host\"}}", 400, "(NotImplemented) NetworkMode host is not supported")]
    [InlineData("{\"Image\":\"IMG\",\"Cmd\":[\"true\"],\"HostConfig\":{\"Bind\u017F\":[\"/:/h\"]}}", 422, "(Validation) Invalid binds: /:/h")]
    public async Task Key_case_folding_and_duplicates_are_decoded_as_the_engine_decodes_them(string body, int status, string prefix)
    {
        var name = DockerTarget.NewName("case");
        var response = await CreateAsync(name, body.Replace("IMG", target.Image));
        Assert.Equal(status, response.Status);
        Assert.StartsWith(prefix, response.Body);
        await AssertNotOnEngineAsync(name);
    }

    [SkippableFact]
    public async Task Host_fields_at_the_top_level_and_unknown_fields_are_dropped_not_forwarded()
    {
        var name = DockerTarget.NewName("toplevel");
        try
        {
            var response = await CreateAsync(name,
                $"{{\"Image\":\"{target.Image}\",\"Cmd\":[\"true\"],\"Binds\":[\"/:/host\"],\"Privileged\":true,\"NetworkMode\":\"host\",\"Mounts\":[{{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":\"/h\"}}]}}");
            Assert.Equal(200, response.Status);
            var hc = JsonNode.Parse((await target.Engine!.DockerAsync("container", "inspect", name)).StandardOutput)![0]!["HostConfig"]!;
            Assert.Null(hc["Binds"]);
            Assert.False((bool)hc["Privileged"]!);
            Assert.NotEqual("host", (string?)hc["NetworkMode"]);
        }
        finally
        {
            await target.RemoveAsync(name);
        }
    }

    [SkippableTheory]
    [InlineData("/v1.41/containers/create%23/start")]
    [InlineData("/v1.41/containers/create%3F/start")]
    [InlineData("/v1.41/containers/x%23/update")]
    [InlineData("/v1.41/containers/x%2F..%2F..%2Fcontainers%2Fprune")]
    [InlineData("/v1.41/containers/./create")]
    [InlineData("/v1.41/containers/../containers/create")]
    [InlineData("/v1.41/images/get%3Fnames=x")]
    [InlineData("/v1.41/containers/x/update")]
    [InlineData("/v1.41/containers/prune")]
    public async Task Escaped_and_dot_segment_paths_get_the_unknown_route_answer(string path)
    {
        var body = $"{{\"Image\":\"{target.Image}\",\"Cmd\":[\"true\"],\"HostConfig\":{{\"Binds\":[\"/:/host\"],\"Privileged\":true,\"NetworkMode\":\"host\"}}}}";
        target.Require();
        var response = await RawHttp.SendAsync(Endpoint, "POST", path, body);
        Assert.Equal(404, response.Status);
        Assert.StartsWith($"(ResourceNotFound) {path} does not exist (", response.Body);
    }

    [SkippableFact]
    public async Task Image_sources_never_make_the_engine_reach_the_host()
    {
        target.Require();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = 0;
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    Interlocked.Increment(ref accepted);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        var probes = new (string Method, string Path, byte[]? Body, string Type)[]
        {
            ("POST", $"/v1.41/images/create?fromImage=127.0.0.1:{port}/x&tag=latest", null, ""),
            ("POST", $"/v1.41/images/create?fromImage=localhost:{port}/x&tag=latest", null, ""),
            ("POST", $"/v1.41/images/create?fromSrc=http://127.0.0.1:{port}/x.tar&repo=x", null, ""),
            ("POST", $"/v1.41/build?remote=http://127.0.0.1:{port}/ctx.tar&t=tm-ep-remote", FuzzTests.BuildContext($"FROM 127.0.0.1:{port}/base\n"), "application/x-tar"),
            ("POST", "/v1.41/build?t=tm-ep-add-url", FuzzTests.BuildContext($"FROM {target.Image}\nADD http://127.0.0.1:{port}/f /f\n"), "application/x-tar"),
            ("POST", "/v1.41/build?t=tm-ep-arg", FuzzTests.BuildContext($"ARG B=127.0.0.1:{port}/b\nFROM $B\n"), "application/x-tar"),
            ("POST", "/v1.41/auth", Encoding.UTF8.GetBytes($"{{\"username\":\"u\",\"password\":\"p\",\"serveraddress\":\"http://127.0.0.1:{port}\"}}"), "application/json"),
            ("POST", $"/v1.41/images/127.0.0.1:{port}/x/push?tag=latest", null, ""),
        };
        foreach (var (method, path, body, type) in probes)
        {
            var response = await RawHttp.SendAsync(Endpoint, method, path, body, type.Length == 0 ? "application/json" : type);
            Assert.True(response.Status >= 400, $"{path}: {response.Status} {response.Body}");
        }
        await Task.Delay(500);
        await stop.CancelAsync();
        await accepting;
        Assert.Equal(0, accepted);
    }

    [SkippableFact]
    public async Task Volumes_from_and_inspect_of_a_container_made_elsewhere_are_refused()
    {
        target.Require();
        var foreign = DockerTarget.NewName("foreign");
        var name = DockerTarget.NewName("vf");
        var dir = Directory.CreateTempSubdirectory("tm-ep-vf-").FullName;
        try
        {
            Assert.Equal(0, (await target.Engine!.DockerAsync("create", "--name", foreign, "-v", dir + ":/hostdir", target.Image, "true")).ExitCode);
            var response = await CreateAsync(name, $"{{\"Image\":\"{target.Image}\",\"Cmd\":[\"true\"],\"HostConfig\":{{\"VolumesFrom\":[\"{foreign}\"]}}}}");
            Assert.Equal(500, response.Status);
            Assert.StartsWith("Owners do not match, cannot --volumes-from (", response.Body);
            await AssertNotOnEngineAsync(name);

            using var client = target.CreateClient();
            var inspect = await Assert.ThrowsAnyAsync<Docker.DotNet.DockerApiException>(() => client.Containers.InspectContainerAsync(foreign));
            Assert.Equal(HttpStatusCode.NotFound, inspect.StatusCode);
            var list = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true });
            Assert.DoesNotContain(list, c => c.Names.Contains("/" + foreign));

            // The hijacked routes go through the same admission: attach to it is refused before any engine connection.
            var attach = await RawHttp.SendAsync(Endpoint, "POST", $"/v1.41/containers/{foreign}/attach?stream=1&stdout=1", []);
            Assert.Equal(404, attach.Status);
            Assert.StartsWith($"No such container: {foreign} (", attach.Body);
            var exec = await RawHttp.SendAsync(Endpoint, "POST", $"/v1.41/containers/{foreign}/exec", "{\"Cmd\":[\"id\"]}");
            Assert.Equal(404, exec.Status);
        }
        finally
        {
            await target.RemoveAsync(foreign, name);
            Directory.Delete(dir, recursive: true);
        }
    }

    [SkippableFact]
    public async Task Exec_privileged_is_dropped()
    {
        target.Require();
        var name = DockerTarget.NewName("exec-priv");
        try
        {
            using var client = target.CreateClient();
            await client.Containers.CreateContainerAsync(new CreateContainerParameters { Image = target.Image, Name = name, Cmd = ["sleep", "60"] });
            await client.Containers.StartContainerAsync(name, new ContainerStartParameters());
            var response = await RawHttp.SendAsync(Endpoint, "POST", $"/v1.41/containers/{name}/exec", "{\"Cmd\":[\"id\"],\"Privileged\":true,\"privileged\":true}");
            Assert.Equal(200, response.Status);
            var id = (string)JsonNode.Parse(response.Body[response.Body.IndexOf('{')..])!["Id"]!;
            var exec = await FuzzTests.EngineGetAsync(target.Engine!.Host, $"/exec/{id}/json");
            Assert.False((bool)exec!["ProcessConfig"]!["privileged"]!);
        }
        finally
        {
            await target.RemoveAsync(name);
        }
    }
}
