using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Docker.DotNet;
using Docker.DotNet.Models;
using Xunit;

namespace TritonMesos.Endpoint.Tests;

/// <summary>One test per row of Triton's contract (docs/endpoint.md, "Contract rows implemented") through Docker.DotNet or raw HTTP: status and message prefix.</summary>
public abstract class ContractTests<TTarget>(TTarget target) : IClassFixture<TTarget> where TTarget : DockerTarget
{
    protected TTarget Target => target;

    private async Task<DockerApiException> CreateRefusedAsync(CreateContainerParameters parameters, HttpStatusCode status, string prefix, string rule, bool nameIsNew = true)
    {
        target.Require();
        parameters.Image ??= target.Image;
        parameters.Name ??= DockerTarget.NewName("refused");
        using var client = target.CreateClient();
        try
        {
            var e = await Assert.ThrowsAnyAsync<DockerApiException>(() => client.Containers.CreateContainerAsync(parameters));
            Assert.Equal(status, e.StatusCode);
            Assert.StartsWith(prefix, e.ResponseBody);
            await AssertRefusedAsync(e.ResponseBody, rule, nameIsNew ? parameters.Name : null);
            return e;
        }
        finally
        {
            if (nameIsNew)
                await target.RemoveAsync(parameters.Name);
        }
    }

    /// <summary>The request id ends the body; the endpoint logged the rule, and the engine never saw the container.</summary>
    private async Task AssertRefusedAsync(string body, string rule, string? name)
    {
        Assert.Matches(@" \([0-9a-f-]{36}\)$", body);
        if (target.Endpoint is null)
            return;
        var id = body[(body.LastIndexOf('(') + 1)..^1];
        var entry = target.Endpoint.Log.Find(id);
        Assert.NotNull(entry);
        Assert.Equal(rule, entry.Rule);
        Assert.True(!entry.Forwarded || rule == "create.name-duplicate", "refused after the engine saw it"); // a duplicate name: the engine's atomic check refuses it, creating nothing
        if (name is not null)
            Assert.NotEqual(0, (await target.Engine!.DockerAsync("container", "inspect", name)).ExitCode);
    }

    private async Task<string> CreateOkAsync(CreateContainerParameters parameters)
    {
        target.Require();
        parameters.Image ??= target.Image;
        parameters.Name ??= DockerTarget.NewName("ok");
        parameters.Cmd ??= ["true"];
        using var client = target.CreateClient();
        var created = await client.Containers.CreateContainerAsync(parameters);
        Assert.Matches("^[0-9a-f]{64}$", created.ID);
        return created.ID;
    }

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> HttpAsync(HttpMethod method, string path, string? json = null)
    {
        target.Require();
        using var http = target.CreateHttp();
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    // ---- §1 versions, _ping, version, info, headers

    [SkippableFact]
    public async Task Ping_is_200_OK_text_plain()
    {
        var (status, body, response) = await HttpAsync(HttpMethod.Get, "/_ping");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("OK", body);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
    }

    [SkippableFact]
    public async Task No_version_prefix_is_treated_as_1_21()
    {
        var (status, body, _) = await HttpAsync(HttpMethod.Get, "/version");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("1.21", (string?)JsonNode.Parse(body)!["ApiVersion"]);
    }

    [SkippableTheory]
    [InlineData("/v1.19/version", "(InvalidVersion) client API version (1.19) is less than the minimum required API version (1.20)")]
    [InlineData("/v1.14/info", "(InvalidVersion) client API version (1.14) is less than the minimum required API version (1.20)")]
    [InlineData("/v1.100/version", "(InvalidVersion) client API version (1.100) is less than the minimum required API version (1.20)")]
    [InlineData("/vgolden/version", "(InvalidVersion) client and server don't have same API version (client : /vgolden, server: 1.21)")]
    public async Task Bad_api_versions_are_400_InvalidVersion(string path, string prefix)
    {
        var (status, body, _) = await HttpAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(prefix, body);
        await AssertRefusedAsync(body, path.Contains("golden") ? "api-version.malformed" : "api-version.too-old", null);
    }

    [SkippableTheory]
    [InlineData("/v1.20/version")]
    [InlineData("/v1.24/version")]
    [InlineData("/v1.3/version")]
    [InlineData("/v9.99/version")]
    public async Task Versions_Triton_accepts_are_accepted(string path)
    {
        var (status, _, _) = await HttpAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [SkippableFact]
    public async Task Version_is_sdc_docker_s()
    {
        var (status, body, response) = await HttpAsync(HttpMethod.Get, "/v1.24/version");
        Assert.Equal(HttpStatusCode.OK, status);
        var version = JsonNode.Parse(body)!.AsObject();
        Assert.Equal("1.21", (string?)version["ApiVersion"]);
        Assert.StartsWith("node", (string?)version["GoVersion"]);
        Assert.False(version.ContainsKey("KernelVersion"));
        Assert.False(version.ContainsKey("MinAPIVersion"));
        Assert.Equal("Triton/1.9.0 (linux)", string.Join(" ", response.Headers.GetValues("Server")));
        Assert.Matches("^[0-9a-f-]{36}$", response.Headers.GetValues("x-request-id").Single());
    }

    [SkippableFact]
    public async Task Info_is_sdc_without_NCPU_or_MemTotal()
    {
        var (status, body, _) = await HttpAsync(HttpMethod.Get, "/v1.24/info");
        Assert.Equal(HttpStatusCode.OK, status);
        var info = JsonNode.Parse(body)!.AsObject();
        Assert.Equal("sdc", (string?)info["Driver"]);
        Assert.Equal("SDCAccount", (string?)info["DriverStatus"]![0]![0]);
        Assert.Equal("SmartDataCenter", (string?)info["OperatingSystem"]);
        Assert.False(info.ContainsKey("NCPU"));
        Assert.False(info.ContainsKey("MemTotal"));
        Assert.False(info.ContainsKey("ServerVersion"));
    }

    [SkippableFact]
    public async Task Error_body_is_text_and_ends_with_the_x_request_id()
    {
        var (status, body, response) = await HttpAsync(HttpMethod.Post, "/v1.24/containers/x/pause");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"(NotImplemented) pause is not implemented ({response.Headers.GetValues("x-request-id").Single()})", body);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
    }

    // ---- §2 create

    [SkippableFact]
    public Task Create_with_missing_image_is_404() => CreateRefusedAsync(
        new CreateContainerParameters { Image = "triton-mesos-test/no-such-image:latest", Cmd = ["true"] },
        HttpStatusCode.NotFound, "(ResourceNotFound) No such image: triton-mesos-test/no-such-image:latest", "create.no-such-image");

    [SkippableFact]
    public Task Host_bind_mount_is_422_invalid_binds() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], HostConfig = new HostConfig { Binds = ["/tmp:/ctr"] } },
        (HttpStatusCode)422, "(Validation) Invalid binds: /tmp:/ctr: /tmp is not a valid volume name", "create.binds");

    [SkippableFact]
    public Task Named_volume_is_500_host_volumes_not_supported() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], HostConfig = new HostConfig { Binds = ["data:/data"] } },
        HttpStatusCode.InternalServerError, "host volumes are not supported", "create.named-volume");

    [SkippableFact]
    public Task Named_volume_with_bad_flag_is_422() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], HostConfig = new HostConfig { Binds = ["name:/ctr:z"] } },
        (HttpStatusCode)422, "(Validation) Invalid binds: name:/ctr:z: \"z\" is not a valid flag", "create.binds");

    [SkippableFact]
    public Task Relative_volume_is_500() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], Volumes = new Dictionary<string, EmptyStruct> { ["data"] = default } },
        HttpStatusCode.InternalServerError, "Invalid volume name \"data\" must start with \"/\"", "create.volume-name-relative");

    [SkippableFact]
    public Task Nine_data_volumes_are_500() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], Volumes = Enumerable.Range(1, 9).ToDictionary(i => $"/data{i}", _ => default(EmptyStruct)) },
        HttpStatusCode.InternalServerError, "too many data volumes: max 8", "create.too-many-volumes");

    [SkippableFact]
    public Task Three_volumes_from_are_500() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], HostConfig = new HostConfig { VolumesFrom = ["a", "b", "c"] } },
        HttpStatusCode.InternalServerError, "too many --volumes-from: max 2", "create.too-many-volumes-from");

    [SkippableTheory]
    [InlineData("host")]
    [InlineData("none")]
    public Task Net_host_and_none_are_400(string mode) => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], HostConfig = new HostConfig { NetworkMode = mode } },
        HttpStatusCode.BadRequest, $"(NotImplemented) NetworkMode {mode} is not supported is not implemented", "create.network-mode");

    [SkippableFact]
    public Task Net_container_is_400() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], HostConfig = new HostConfig { NetworkMode = "container:abc" } },
        HttpStatusCode.BadRequest, "(NotImplemented) Container networking is not supported is not implemented", "create.network-mode-container");

    [SkippableFact]
    public Task Unknown_network_is_404() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], HostConfig = new HostConfig { NetworkMode = "no-such-fabric" } },
        HttpStatusCode.NotFound, "(Error) network no-such-fabric not found", "create.network-not-found");

    [SkippableFact]
    public Task Custom_network_with_links_is_400() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], HostConfig = new HostConfig { NetworkMode = "fabric1", Links = ["a:b"] } },
        HttpStatusCode.BadRequest, "(NotImplemented) user-defined networking links is not implemented", "create.links-with-network");

    [SkippableFact]
    public Task Unsupported_log_driver_is_422() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], HostConfig = new HostConfig { LogConfig = new LogConfig { Type = "syslog" } } },
        (HttpStatusCode)422, "(Validation) unsupported log driver: syslog", "create.log-driver");

    [SkippableFact]
    public Task Port_remapping_is_500() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], HostConfig = new HostConfig { PortBindings = Ports(("80/tcp", "8080")) } },
        HttpStatusCode.InternalServerError, "publish port: remapping of port numbers not allowed", "create.port-remap");

    [SkippableFact]
    public Task Bad_port_specification_is_422() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], HostConfig = new HostConfig { PortBindings = Ports(("80/tcp/x", "80")) } },
        (HttpStatusCode)422, "(Validation) HostConfig.PortBindings: port specification incorrect: must be \"number/protocol\"", "create.port-spec");

    [SkippableFact]
    public Task Bad_port_number_is_422() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], HostConfig = new HostConfig { PortBindings = Ports(("70000/tcp", "")) } },
        (HttpStatusCode)422, "(Validation) HostConfig.PortBindings: invalid port number", "create.port-number");

    [SkippableFact]
    public Task Bad_port_protocol_is_422() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], HostConfig = new HostConfig { PortBindings = Ports(("80/sctp", "")) } },
        (HttpStatusCode)422, "(Validation) HostConfig.PortBindings: unknown protocol: must be tcp or udp", "create.port-protocol");

    [SkippableFact]
    public Task More_than_128_published_ports_is_500() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], HostConfig = new HostConfig { PortBindings = Ports(Enumerable.Range(1000, 129).Select(p => ($"{p}/tcp", "")).ToArray()) } },
        HttpStatusCode.InternalServerError, "publish port: only support exposing 128 TCP ports", "create.too-many-ports");

    [SkippableFact]
    public Task Memory_beyond_every_package_is_422() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], HostConfig = new HostConfig { Memory = 65L * 1024 * 1024 * 1024 } },
        (HttpStatusCode)422, "(NoSufficientPackage) no package supports the given container constraints: memory=65g", "create.no-package");

    [SkippableFact]
    public Task Unknown_package_label_is_422() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], Labels = new Dictionary<string, string> { ["com.joyent.package"] = "no-such-package" } },
        (HttpStatusCode)422, "(NoSufficientPackage) no package supports the given container constraints: com.joyent.package=no-such-package", "create.no-package");

    [SkippableFact]
    public Task Unknown_triton_label_is_422() => CreateRefusedAsync(
        new CreateContainerParameters { Cmd = ["true"], Labels = new Dictionary<string, string> { ["triton.bogus"] = "1" } },
        (HttpStatusCode)422, "(Validation) invalid label: Unrecognized special triton tag \"triton.bogus\"", "create.triton-label");

    [SkippableFact]
    public Task Name_with_bad_characters_is_409() => CreateRefusedAsync(
        new CreateContainerParameters { Name = "bad/name!", Cmd = ["true"] },
        HttpStatusCode.Conflict, "(ValidationFailed) problem creating container: Invalid VM parameters: \"alias\" (Invalid) String does not match regexp: /^[a-zA-Z0-9][a-zA-Z0-9\\_\\.\\-]*$/", "create.name-regexp");

    [SkippableFact]
    public Task Name_longer_than_189_is_409() => CreateRefusedAsync(
        new CreateContainerParameters { Name = new string('a', 190), Cmd = ["true"] },
        HttpStatusCode.Conflict, "(ValidationFailed) problem creating container: Invalid VM parameters: \"alias\" (Invalid) String is longer than maximum of 189 characters", "create.name-length");

    [SkippableFact]
    public async Task Duplicate_name_is_409_with_Triton_text()
    {
        var name = DockerTarget.NewName("dup");
        try
        {
            await CreateOkAsync(new CreateContainerParameters { Name = name });
            await CreateRefusedAsync(new CreateContainerParameters { Name = name, Cmd = ["true"] }, HttpStatusCode.Conflict,
                "(ValidationFailed) problem creating container: Invalid VM parameters: \"alias\" (Duplicate) Already exists for this owner_uuid", "create.name-duplicate",
                nameIsNew: false);
        }
        finally
        {
            await target.RemoveAsync(name);
        }
    }

    [SkippableFact]
    public async Task Create_is_200_with_empty_warnings_and_created_state()
    {
        var name = DockerTarget.NewName("create");
        try
        {
            var (status, body, _) = await HttpAsync(HttpMethod.Post, $"/v1.24/containers/create?name={name}",
                $$"""{"Image":"{{target.Image}}","Cmd":["true"]}""");
            Assert.Equal(HttpStatusCode.OK, status);
            var created = JsonNode.Parse(body)!;
            Assert.Matches("^[0-9a-f]{64}$", (string?)created["Id"]);
            Assert.Empty(created["Warnings"]!.AsArray());
        }
        finally
        {
            await target.RemoveAsync(name);
        }
    }

    [SkippableFact]
    public async Task Ignored_options_are_accepted_and_not_applied()
    {
        var name = DockerTarget.NewName("ignored");
        try
        {
            await CreateOkAsync(new CreateContainerParameters
            {
                Name = name,
                HostConfig = new HostConfig
                {
                    Privileged = true, PidMode = "host", IpcMode = "host", CapAdd = ["SYS_ADMIN"], CPUShares = 1024, CPUQuota = 50000,
                    Devices = [new DeviceMapping { PathOnHost = "/dev/null", PathInContainer = "/dev/x", CgroupPermissions = "rwm" }],
                    OomScoreAdj = 500, MemoryReservation = 64 * 1024 * 1024, RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.UnlessStopped },
                },
            });
            if (target.Engine is null)
                return;
            var engine = await target.Engine.DockerAsync("container", "inspect", name);
            var hc = JsonNode.Parse(engine.StandardOutput)![0]!["HostConfig"]!;
            Assert.False((bool)hc["Privileged"]!);
            Assert.NotEqual("host", (string?)hc["PidMode"]);
            Assert.Null(hc["CapAdd"]);
            Assert.Equal(0, (long)hc["CpuShares"]!);
            Assert.Empty(hc["Devices"]?.AsArray() ?? []);
            Assert.NotEqual("unless-stopped", (string?)hc["RestartPolicy"]!["Name"]);
        }
        finally
        {
            await target.RemoveAsync(name);
        }
    }

    [SkippableFact]
    public async Task Memory_rounds_up_to_a_package()
    {
        var name = DockerTarget.NewName("mem");
        try
        {
            await CreateOkAsync(new CreateContainerParameters { Name = name, HostConfig = new HostConfig { Memory = 100L * 1024 * 1024 } });
            using var client = target.CreateClient();
            var inspect = await client.Containers.InspectContainerAsync(name);
            Assert.Equal("sample-128M", inspect.Config.Labels["com.joyent.package"]);
            if (target.Engine is not null)
            {
                var engine = JsonNode.Parse((await target.Engine.DockerAsync("container", "inspect", name)).StandardOutput)![0]!;
                Assert.Equal(128L * 1024 * 1024, (long)engine["HostConfig"]!["Memory"]!);
            }
        }
        finally
        {
            await target.RemoveAsync(name);
        }
    }

    [SkippableFact]
    public async Task Same_published_port_on_two_containers_both_succeed_and_inspect_shows_it()
    {
        var (a, b) = (DockerTarget.NewName("port-a"), DockerTarget.NewName("port-b"));
        try
        {
            foreach (var name in new[] { a, b })
                await CreateOkAsync(new CreateContainerParameters
                {
                    Name = name, Cmd = ["sleep", "30"],
                    ExposedPorts = new Dictionary<string, EmptyStruct> { ["80/tcp"] = default },
                    HostConfig = new HostConfig { PortBindings = Ports(("80/tcp", "80")) },
                });
            using var client = target.CreateClient();
            await client.Containers.StartContainerAsync(a, new ContainerStartParameters());
            await client.Containers.StartContainerAsync(b, new ContainerStartParameters());
            var inspect = await client.Containers.InspectContainerAsync(b);
            Assert.Equal("bridge", inspect.HostConfig.NetworkMode);
            Assert.Equal("80", inspect.NetworkSettings.Ports["80/tcp"].Single().HostPort);
            Assert.Equal("0.0.0.0", inspect.NetworkSettings.Ports["80/tcp"].Single().HostIP);
            Assert.Null(inspect.NetworkSettings.Networks);
            Assert.Null(inspect.State.Status);
            var listed = await client.Containers.ListContainersAsync(new ContainersListParameters { All = true });
            var port = listed.Single(c => c.Names.Contains("/" + a)).Ports.Single();
            Assert.Equal((80, 80, "0.0.0.0"), (port.PrivatePort, port.PublicPort, port.IP));
            if (target.Engine is not null)
            {
                var engine = JsonNode.Parse((await target.Engine.DockerAsync("container", "inspect", a)).StandardOutput)![0]!;
                Assert.Equal(FabricNetwork.Default.EngineName, (string?)engine["HostConfig"]!["NetworkMode"]);
            }
        }
        finally
        {
            await target.RemoveAsync(a, b);
        }
    }

    // ---- §5 lifecycle and status codes

    [SkippableFact]
    public async Task Unknown_container_is_404_No_such_container()
    {
        target.Require();
        using var client = target.CreateClient();
        var e = await Assert.ThrowsAnyAsync<DockerApiException>(() => client.Containers.InspectContainerAsync("tm-ep-no-such-container"));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.StartsWith("No such container: tm-ep-no-such-container (", e.ResponseBody);
    }

    [SkippableFact]
    public async Task Lifecycle_create_start_logs_stop_rm()
    {
        var name = DockerTarget.NewName("life");
        try
        {
            await CreateOkAsync(new CreateContainerParameters { Name = name, Cmd = ["sh", "-c", "echo hello-out; echo hello-err >&2; sleep 30"] });
            using var client = target.CreateClient();
            await client.Containers.StartContainerAsync(name, new ContainerStartParameters());
            Assert.True((await client.Containers.InspectContainerAsync(name)).State.Running);
            var (status, body, _) = await HttpAsync(HttpMethod.Post, $"/v1.24/containers/{name}/start");
            Assert.Equal(HttpStatusCode.NoContent, status); // already running: 204, Docker says 304
            string logs = "";
            for (var i = 0; i < 50 && !logs.Contains("hello-err"); i++)
            {
                using var http = target.CreateHttp();
                logs = Encoding.UTF8.GetString(await http.GetByteArrayAsync($"/v1.24/containers/{name}/logs?stdout=1"));
                await Task.Delay(100);
            }
            Assert.Contains("hello-out", logs);
            Assert.Contains("hello-err", logs); // Triton ignores stdout/stderr and sends both
            await client.Containers.StopContainerAsync(name, new ContainerStopParameters { WaitBeforeKillSeconds = 1 });
            (status, _, _) = await HttpAsync(HttpMethod.Post, $"/v1.24/containers/{name}/stop");
            Assert.Equal(HttpStatusCode.NoContent, status);
            await client.Containers.RemoveContainerAsync(name, new ContainerRemoveParameters());
            await Assert.ThrowsAnyAsync<DockerApiException>(() => client.Containers.InspectContainerAsync(name));
        }
        finally
        {
            await target.RemoveAsync(name);
        }
    }

    [SkippableFact]
    public async Task Stop_with_non_integer_timeout_is_422()
    {
        var (status, body, _) = await HttpAsync(HttpMethod.Post, "/v1.24/containers/whatever/stop?t=abc");
        Assert.Equal((HttpStatusCode)422, status);
        Assert.StartsWith("(Validation) stop timeout parameter must be an integer", body);
    }

    [SkippableFact]
    public async Task Rm_of_a_running_container_is_500_and_rm_force_is_204()
    {
        var name = DockerTarget.NewName("rm");
        try
        {
            await CreateOkAsync(new CreateContainerParameters { Name = name, Cmd = ["sleep", "30"] });
            using var client = target.CreateClient();
            await client.Containers.StartContainerAsync(name, new ContainerStartParameters());
            var (status, body, _) = await HttpAsync(HttpMethod.Delete, $"/v1.24/containers/{name}");
            Assert.Equal(HttpStatusCode.InternalServerError, status);
            Assert.StartsWith("Conflict, You cannot remove a running container. Stop the container before attempting removal or use -f (", body);
            (status, _, _) = await HttpAsync(HttpMethod.Delete, $"/v1.24/containers/{name}?force=1");
            Assert.Equal(HttpStatusCode.NoContent, status);
        }
        finally
        {
            await target.RemoveAsync(name);
        }
    }

    [SkippableFact]
    public async Task Kill_and_wait_report_exit_codes()
    {
        target.Require();
        var (killed, exited) = (DockerTarget.NewName("kill"), DockerTarget.NewName("exit"));
        try
        {
            using var client = target.CreateClient();
            await CreateOkAsync(new CreateContainerParameters { Name = killed, Cmd = ["sleep", "30"] });
            await CreateOkAsync(new CreateContainerParameters { Name = exited, Cmd = ["sh", "-c", "exit 7"] });
            await client.Containers.StartContainerAsync(killed, new ContainerStartParameters());
            await client.Containers.StartContainerAsync(exited, new ContainerStartParameters());
            await client.Containers.KillContainerAsync(killed, new ContainerKillParameters());
            Assert.Equal(137, (await client.Containers.WaitContainerAsync(killed)).StatusCode);
            Assert.Equal(7, (await client.Containers.WaitContainerAsync(exited)).StatusCode);
        }
        finally
        {
            await target.RemoveAsync(killed, exited);
        }
    }

    [SkippableFact]
    public async Task Exec_create_is_200_and_on_a_stopped_container_409()
    {
        var name = DockerTarget.NewName("exec");
        try
        {
            await CreateOkAsync(new CreateContainerParameters { Name = name, Cmd = ["sleep", "30"] });
            var (status, body, _) = await HttpAsync(HttpMethod.Post, $"/v1.24/containers/{name}/exec", """{"Cmd":["true"]}""");
            Assert.Equal(HttpStatusCode.Conflict, status);
            Assert.StartsWith($"(DockerContainerNotRunning) Container {name} is not running (", body);
            using var client = target.CreateClient();
            await client.Containers.StartContainerAsync(name, new ContainerStartParameters());
            (status, body, _) = await HttpAsync(HttpMethod.Post, $"/v1.24/containers/{name}/exec", """{"Cmd":["true"]}""");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.NotNull((string?)JsonNode.Parse(body)!["Id"]);
        }
        finally
        {
            await target.RemoveAsync(name);
        }
    }

    // ---- routes Triton does not have

    [SkippableTheory]
    [InlineData("POST", "/v1.24/containers/x/pause", "(NotImplemented) pause is not implemented")]
    [InlineData("POST", "/v1.24/containers/x/unpause", "(NotImplemented) unpause is not implemented")]
    [InlineData("GET", "/v1.24/containers/x/changes", "(NotImplemented) changes is not implemented")]
    [InlineData("GET", "/v1.24/containers/x/export", "(NotImplemented) export is not implemented")]
    [InlineData("GET", "/v1.24/events", "(NotImplemented) events is not implemented")]
    [InlineData("POST", "/v1.24/networks/create", "(NotImplemented) network create is not implemented")]
    public async Task Unimplemented_routes_are_400(string method, string path, string prefix)
    {
        var (status, body, _) = await HttpAsync(new HttpMethod(method), path, method == "POST" ? "{}" : null);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(prefix, body);
        await AssertRefusedAsync(body, "route.not-implemented", null);
    }

    [SkippableTheory]
    [InlineData("POST", "/v1.24/containers/x/update")]
    [InlineData("POST", "/v1.24/containers/prune")]
    [InlineData("GET", "/v1.24/swarm")]
    public async Task Routes_Triton_lacks_are_404(string method, string path)
    {
        var (status, body, _) = await HttpAsync(new HttpMethod(method), path, method == "POST" ? "{}" : null);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.StartsWith($"(ResourceNotFound) {path} does not exist", body);
    }

    [SkippableFact]
    public async Task Volume_api_is_500()
    {
        var (status, body, _) = await HttpAsync(HttpMethod.Get, "/v1.24/volumes");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.StartsWith("Volumes are not supported", body);
    }

    private static IDictionary<string, IList<PortBinding>> Ports(params (string Spec, string HostPort)[] ports) =>
        ports.ToDictionary(p => p.Spec, p => (IList<PortBinding>)[new PortBinding { HostPort = p.HostPort }]);
}

/// <summary>The contract, against this project's endpoint in front of the real engine.</summary>
public sealed class EndpointContractTests(EndpointTarget target) : ContractTests<EndpointTarget>(target);

/// <summary>The same contract, against a real Triton (opt-in: TRITON_MESOS_REAL_TRITON=1).</summary>
public sealed class RealTritonContractTests(RealTritonTarget target) : ContractTests<RealTritonTarget>(target);
