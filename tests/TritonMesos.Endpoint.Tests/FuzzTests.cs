using System.Formats.Tar;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.Endpoint.Tests;

/// <summary>
/// Generated create, exec and build requests (key case, Go's Unicode folding, escaped keys, duplicate keys, merged
/// <c>hostconfig</c> objects, top-level host fields, path escapes and dot segments) sent through the endpoint to the real
/// engine; the engine's own inspect (on its socket, not through the endpoint) must show none of the refused settings.
/// Seed: TRITON_MESOS_FUZZ_SEED (default 1311), cases: TRITON_MESOS_FUZZ_CASES (default 120).
/// </summary>
[Collection(SerialEngineCollection.Name)]
public sealed class FuzzTests(EndpointTarget target, ITestOutputHelper output) : IClassFixture<EndpointTarget>
{
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("TRITON_MESOS_FUZZ_SEED"), out var s) ? s : 1311;
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("TRITON_MESOS_FUZZ_CASES"), out var c) ? c : 120;

    /// <summary>Host settings Triton refuses or ignores, as (HostConfig key, JSON value, benign JSON value).</summary>
    private static readonly (string Key, string Value, string Benign)[] Refused =
    [
        ("Binds", "[\"/:/host\"]", "[]"),
        ("Privileged", "true", "false"),
        ("PidMode", "\"host\"", "\"\""),
        ("IpcMode", "\"host\"", "\"\""),
        ("UTSMode", "\"host\"", "\"\""),
        ("UsernsMode", "\"host\"", "\"\""),
        ("NetworkMode", "\"host\"", "\"bridge\""),
        ("CapAdd", "[\"ALL\"]", "[]"),
        ("SecurityOpt", "[\"seccomp=unconfined\"]", "[]"),
        ("Mounts", "[{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":\"/host\"}]", "[]"),
        ("PortBindings", "{\"80/tcp\":[{\"HostPort\":\"8080\"}]}", "{}"),
        ("Devices", "[{\"PathOnHost\":\"/dev/mem\",\"PathInContainer\":\"/dev/mem\",\"CgroupPermissions\":\"rwm\"}]", "[]"),
        ("CgroupParent", "\"/fuzz\"", "\"\""),
        ("Sysctls", "{\"kernel.domainname\":\"fuzz\"}", "{}"),
        ("VolumesFrom", "[\"FOREIGN\"]", "[]"),
    ];

    private static readonly string[] CreateTargets =
    [
        "/v1.41/containers/create", "/containers/create", "/v1.24/containers/create",
        "/v1.41/containers/create%23/start", "/v1.41/containers/create%3F/start", "/v1.41/containers/create%2Fx",
        "/v1.41/containers/./create", "/v1.41/containers/x/../create", "/v1.41//containers/create", "/v1.41/containers/%63reate",
        "/v1.41/containers/create%2523", "/v1.41/containers/create?name=fz%23x", "/v1.41/containers/create/", "/v1.41/%2E%2E/v1.41/containers/create",
    ];

    [SkippableFact]
    public async Task Generated_creates_execs_and_builds_never_put_a_refused_setting_on_the_engine()
    {
        target.Require();
        var engine = target.Engine!;
        var random = new Random(Seed);
        var before = (await engine.DockerAsync("ps", "-aq", "--no-trunc")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        var foreign = DockerTarget.NewName("foreign");
        var hostDir = Directory.CreateTempSubdirectory("tm-ep-foreign-").FullName;
        await engine.DockerAsync("create", "--name", foreign, "-v", hostDir + ":/hostdir", target.Image, "true");
        var runner = DockerTarget.NewName("fuzz-exec");
        var built = new List<string>();
        var violations = new List<string>();
        try
        {
            for (var i = 0; i < Cases; i++)
            {
                var (path, body, description) = CreateCase(random, foreign);
                var response = await RawHttp.SendAsync(target.Endpoint!.HttpUri, "POST", path, body);
                output.WriteLine($"create #{i} {description} -> {response.Status} {Truncate(response.Body)}");
            }

            using (var client = target.CreateClient())
            {
                await client.Containers.CreateContainerAsync(new() { Image = target.Image, Name = runner, Cmd = ["sleep", "300"] });
                await client.Containers.StartContainerAsync(runner, new());
            }
            for (var i = 0; i < Cases / 4; i++)
            {
                var privileged = Mutate(random, "Privileged");
                var body = random.Next(3) switch
                {
                    0 => $"{{\"Cmd\":[\"id\"],\"{privileged}\":true}}",
                    1 => $"{{\"Cmd\":[\"id\"],\"Privileged\":false,\"{privileged}\":true}}",
                    _ => $"{{\"{privileged}\":true,\"Cmd\":[\"id\"],\"{Mutate(random, "AttachStdout")}\":true}}",
                };
                var path = random.Next(3) switch { 0 => $"/v1.41/containers/{runner}/exec", 1 => $"/containers/{runner}/exec", _ => $"/v1.41/containers/{runner}/exec%23" };
                var response = await RawHttp.SendAsync(target.Endpoint!.HttpUri, "POST", path, body);
                output.WriteLine($"exec #{i} {path} {body} -> {response.Status} {Truncate(response.Body)}");
            }

            var buildQueries = new[]
            {
                "networkmode=host", "networkmode=host&cgroupparent=/fuzz&shmsize=1073741824", "networkmode=host&networkmode=host",
                "t=x&networkmode=host&version=2", "networkmode=%68ost", "extrahosts=h:127.0.0.1&networkmode=host",
            };
            foreach (var (query, i) in buildQueries.Select((q, i) => (q, i)))
            {
                var tag = $"tm-ep-fuzz-build-{Guid.NewGuid():N}"[..30] + ":latest";
                var response = await RawHttp.SendAsync(target.Endpoint!.HttpUri, "POST", $"/v1.41/build?t={tag}&{query}",
                    BuildContext($"FROM {target.Image}\nRUN ls /sys/class/net > /nets && echo {runner}\n"), "application/x-tar");
                output.WriteLine($"build #{i} {query} -> {response.Status} {Truncate(response.Body)}");
                if ((await engine.DockerAsync("image", "inspect", tag)).ExitCode != 0)
                    continue;
                built.Add(tag);
                var nets = (await engine.DockerAsync("run", "--rm", "--network", "none", tag, "cat", "/nets")).StandardOutput.Trim();
                if (nets != "lo")
                    violations.Add($"build with {query}: RUN saw the network interfaces [{nets.Replace('\n', ' ')}] (only lo expected)");
            }

            Assert.NotEmpty(built); // the check above ran on at least one built image
            var after = (await engine.DockerAsync("ps", "-aq", "--no-trunc")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var foreignId = (await engine.DockerAsync("inspect", "-f", "{{.Id}}", foreign)).StandardOutput.Trim();
            foreach (var id in after.Where(id => !before.Contains(id) && id != foreignId))
            {
                var inspect = JsonNode.Parse((await engine.DockerAsync("container", "inspect", id)).StandardOutput)?[0];
                if (inspect is null || !IsThisRuns(inspect, runner, foreign))
                    continue; // removed meanwhile, or another process's container on the same engine
                foreach (var problem in Problems(inspect, foreign, foreignId))
                    violations.Add($"{((string?)inspect["Name"])}: {problem}");
                foreach (var execId in inspect["ExecIDs"]?.AsArray().Select(e => (string)e!) ?? [])
                {
                    var execInspect = await EngineGetAsync(engine.Host, $"/exec/{execId}/json");
                    if ((bool?)execInspect?["ProcessConfig"]?["privileged"] == true)
                        violations.Add($"{((string?)inspect["Name"])}: exec {execId[..12]} is privileged");
                }
            }
            Assert.True(violations.Count == 0, "refused settings reached the engine:\n" + string.Join("\n", violations));
        }
        finally
        {
            var after = (await engine.DockerAsync("ps", "-aq", "--no-trunc")).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var id in after.Where(id => !before.Contains(id)))
            {
                // Only this run's containers: other processes (another test run, an E2E cluster) may use the same engine.
                if (JsonNode.Parse((await engine.DockerAsync("container", "inspect", id)).StandardOutput)?[0] is { } inspect
                    && IsThisRuns(inspect, runner, foreign))
                    await engine.DockerAsync("rm", "-f", id);
            }
            foreach (var tag in built)
                await engine.DockerAsync("rmi", "-f", tag);
            Directory.Delete(hostDir, recursive: true);
            // Serial and after the parallel tests: nothing else uses the default fabric's bridge now. Removing it keeps
            // its subnet free on this host for other engines (the engine refuses while a running container uses it).
            await engine.DockerAsync("network", "rm", FabricNetwork.Default.EngineName);
        }
    }

    /// <summary>
    /// Whether a container was made by this run: a generated create (tm-ep-fz-…), the exec runner, the foreign container, or
    /// an intermediate container of this run's builds (its command names the runner).
    /// </summary>
    private static bool IsThisRuns(JsonNode inspect, string runner, string foreign)
    {
        var name = (string?)inspect["Name"] ?? "";
        if (name.StartsWith("/tm-ep-fz-", StringComparison.Ordinal) || name == "/" + runner || name == "/" + foreign)
            return true;
        var command = string.Join(' ', inspect["Config"]?["Cmd"]?.AsArray().Select(c => (string?)c) ?? []);
        return command.Contains(runner, StringComparison.Ordinal);
    }

    /// <summary>One generated create: a target, a body with 1-3 refused settings placed and spelled at random, and what was generated.</summary>
    private (string Path, string Body, string Description) CreateCase(Random random, string foreign)
    {
        var picked = Refused.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToList();
        var inner = new List<string>();
        var extraObjects = new List<string>();
        var topLevel = new List<string>();
        var how = new List<string>();
        foreach (var (key, rawValue, benign) in picked)
        {
            var value = rawValue.Replace("FOREIGN", foreign);
            var spelled = Mutate(random, key);
            switch (random.Next(5))
            {
                case 0:
                    inner.Add($"\"{spelled}\":{value}");
                    how.Add($"HostConfig.{spelled}");
                    break;
                case 1:
                    inner.Add($"\"{key}\":{benign}");
                    inner.Add($"\"{spelled}\":{value}");
                    how.Add($"duplicate(benign,{spelled})");
                    break;
                case 2:
                    extraObjects.Add($"\"{Mutate(random, "HostConfig")}\":{{\"{spelled}\":{value}}}");
                    how.Add($"merged-object.{spelled}");
                    break;
                case 3:
                    topLevel.Add($"\"{spelled}\":{value}");
                    how.Add($"top-level.{spelled}");
                    break;
                default:
                    inner.Add($"\"{EscapeKey(random, spelled)}\":{value}");
                    how.Add($"escaped.{spelled}");
                    break;
            }
        }
        var name = $"tm-ep-fz-{random.Next():x8}";
        var parts = new List<string> { $"\"{Mutate(random, "Image")}\":\"{target.Image}\"", "\"Cmd\":[\"true\"]" };
        parts.AddRange(topLevel);
        parts.Add($"\"HostConfig\":{{{string.Join(",", inner)}}}");
        parts.AddRange(extraObjects);
        var path = CreateTargets[random.Next(CreateTargets.Length)];
        path += path.Contains('?') ? $"&name={name}" : $"?name={name}";
        return (path, "{" + string.Join(",", parts) + "}", $"{path} {string.Join(" ", how)}");
    }

    /// <summary>A spelling Go's decoder maps to <paramref name="key"/>: random case, and K/S as KELVIN SIGN / LONG S.</summary>
    private static string Mutate(Random random, string key)
    {
        var builder = new StringBuilder();
        var mode = random.Next(4);
        foreach (var ch in key)
        {
            if (mode >= 2 && (ch is 'k' or 'K') && random.Next(2) == 0)
                builder.Append('\u212A');
            else if (mode >= 2 && (ch is 's' or 'S') && random.Next(2) == 0)
                builder.Append('\u017F');
            else if (mode >= 1)
                builder.Append(random.Next(2) == 0 ? char.ToLowerInvariant(ch) : char.ToUpperInvariant(ch));
            else
                builder.Append(ch);
        }
        return builder.ToString();
    }

    /// <summary>The key with some characters written as JSON <c>\uXXXX</c> escapes.</summary>
    private static string EscapeKey(Random random, string key) =>
        string.Concat(key.Select(ch => random.Next(3) == 0 ? $"\\u{(int)ch:x4}" : ch.ToString()));

    /// <summary>What the engine holds that Triton would never apply.</summary>
    private static IEnumerable<string> Problems(JsonNode inspect, string foreign, string foreignId)
    {
        var hc = inspect["HostConfig"]!;
        if (hc["Binds"] is JsonArray { Count: > 0 } binds) yield return "Binds " + binds.ToJsonString();
        if (inspect["Mounts"]?.AsArray().Any(m => (string?)m?["Type"] == "bind") == true) yield return "bind mount";
        if ((bool?)hc["Privileged"] == true) yield return "Privileged";
        foreach (var mode in new[] { "PidMode", "IpcMode", "UTSMode", "UsernsMode", "NetworkMode" })
            if ((string?)hc[mode] == "host") yield return mode + " host";
        if (hc["CapAdd"] is JsonArray { Count: > 0 }) yield return "CapAdd";
        if (hc["SecurityOpt"] is JsonArray { Count: > 0 }) yield return "SecurityOpt";
        if (hc["Devices"] is JsonArray { Count: > 0 }) yield return "Devices";
        if ((string?)hc["CgroupParent"] is { Length: > 0 }) yield return "CgroupParent";
        if (hc["Sysctls"] is JsonObject { Count: > 0 }) yield return "Sysctls";
        if (hc["PortBindings"] is JsonObject bindings && bindings.Any(b => b.Value?.AsArray().Any(h => ((string?)h?["HostPort"])?.Length > 0) == true))
            yield return "host port binding " + bindings.ToJsonString();
        if (hc["VolumesFrom"]?.AsArray().Any(v => ((string?)v)?.Split(':')[0] is { } source && (source == foreign || foreignId.StartsWith(source, StringComparison.Ordinal))) == true)
            yield return "VolumesFrom the foreign container";
    }

    /// <summary>A tar build context with one Dockerfile.</summary>
    internal static byte[] BuildContext(string dockerfile)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "Dockerfile") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(dockerfile)) };
            writer.WriteEntry(entry);
        }
        return tar.ToArray();
    }

    /// <summary>GET on the engine's own socket (not through the endpoint).</summary>
    internal static async Task<JsonNode?> EngineGetAsync(string engineHost, string path)
    {
        var unix = engineHost.StartsWith("unix://", StringComparison.Ordinal);
        using var handler = new SocketsHttpHandler();
        if (unix)
            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(engineHost["unix://".Length..]), ct);
                return new NetworkStream(socket, ownsSocket: true);
            };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(unix ? "http://docker" : engineHost.Replace("tcp://", "http://")) };
        var response = await http.GetAsync(path);
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
    }

    private static string Truncate(string text) => text.Length > 160 ? text[..160] + "…" : text.Replace("\r\n", " ");
}

/// <summary>Tests that look at every container the engine has: they run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialEngineCollection
{
    public const string Name = "engine-wide checks";
}
