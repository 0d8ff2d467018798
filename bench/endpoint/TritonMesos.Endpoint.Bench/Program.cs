// Endpoint overhead, in one run: `docker run --rm <image> true` latency and Docker.DotNet create/inspect/remove
// throughput, through the Triton endpoint versus the engine directly, alternating to share the machine's noise.
// Usage: dotnet run -c Release -- [--engine unix:///var/run/docker.sock] [--image IMAGE] [--runs N] [--cycles N] [--cli PATH]
using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using Docker.DotNet;
using Docker.DotNet.Models;
using TritonMesos.Endpoint;

string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
var engine = Arg("--engine", Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock");
var image = Arg("--image", "triton-mesos-test/busybox:latest");
var runs = int.Parse(Arg("--runs", "10"));
var cycles = int.Parse(Arg("--cycles", "30"));
var cli = Arg("--cli", File.Exists("/usr/bin/docker") ? "/usr/bin/docker" : "docker");

await using var endpoint = await TritonEndpoint.StartAsync(new EndpointOptions().WithEngine(engine));
// Direct runs join the same engine bridge network the endpoint puts containers on (its default fabric): same work underneath.
var direct = new Target("engine", engine, FabricNetwork.Default.EngineName);
var viaEndpoint = new Target("endpoint", endpoint.Address, null);
var leftovers = new List<string>();
var operations = new Dictionary<string, List<double>>();
using var directClient = new DockerClientConfiguration(new Uri(direct.Host.Replace("tcp://", "http://"))).CreateClient();
using var endpointClient = new DockerClientConfiguration(new Uri(viaEndpoint.Host.Replace("tcp://", "http://"))).CreateClient();
DockerClient ClientOf(Target target) => target == direct ? directClient : endpointClient;

async Task<double> RunOnceAsync(Target target)
{
    var name = "tm-bench-" + Guid.NewGuid().ToString("N")[..12];
    var arguments = new List<string> { "run", "--rm", "--name", name };
    if (target.Network is not null)
        arguments.AddRange(["--network", target.Network]);
    arguments.AddRange([image, "true"]);
    var sw = Stopwatch.StartNew();
    var result = await Cli.Wrap(cli).WithArguments(arguments).WithEnvironmentVariables(e => e.Set("DOCKER_HOST", target.Host))
        .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
    var elapsed = sw.Elapsed.TotalMilliseconds;
    if (result.ExitCode != 0)
        throw new InvalidOperationException($"{target.Name}: docker run failed: {result.StandardError}");
    leftovers.Add(name); // normally gone already (--rm); removed after timing in case one is left
    return elapsed;
}

/// One create → inspect → remove cycle; each call's time goes to operations["<target> <call>"].
async Task<double> CycleAsync(Target target, DockerClient client)
{
    var total = Stopwatch.StartNew();
    var sw = Stopwatch.StartNew();
    var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
    {
        Image = image, Cmd = ["true"], Name = "tm-bench-" + Guid.NewGuid().ToString("N")[..12], HostConfig = new HostConfig { NetworkMode = target.Network },
    });
    Record(target.Name + " create", sw);
    await client.Containers.InspectContainerAsync(created.ID);
    Record(target.Name + " inspect", sw);
    await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
    Record(target.Name + " remove", sw);
    return total.Elapsed.TotalSeconds;
}

void Record(string what, Stopwatch sw)
{
    (operations.TryGetValue(what, out var list) ? list : operations[what] = []).Add(sw.Elapsed.TotalMilliseconds);
    sw.Restart();
}

// warm-up: JIT, connection pools, engine caches
await RunOnceAsync(direct);
await RunOnceAsync(viaEndpoint);
for (var i = 0; i < 3; i++)
{
    await CycleAsync(direct, directClient);
    await CycleAsync(viaEndpoint, endpointClient);
}
operations.Clear();

var latencies = new Dictionary<string, List<double>> { ["engine"] = [], ["endpoint"] = [] };
for (var i = 0; i < runs; i++)
    foreach (var target in i % 2 == 0 ? new[] { direct, viaEndpoint } : [viaEndpoint, direct])
        latencies[target.Name].Add(await RunOnceAsync(target));
// One cycle at a time, alternated, so that load spikes of this shared machine fall on both sides alike.
var cycleSeconds = new Dictionary<string, double> { ["engine"] = 0, ["endpoint"] = 0 };
for (var i = 0; i < cycles; i++)
    foreach (var target in i % 2 == 0 ? new[] { direct, viaEndpoint } : [viaEndpoint, direct])
        cycleSeconds[target.Name] += await CycleAsync(target, ClientOf(target));

foreach (var name in leftovers)
    await Cli.Wrap(cli).WithArguments(["rm", "-f", name]).WithEnvironmentVariables(e => e.Set("DOCKER_HOST", engine))
        .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

static double Median(List<double> values) { var s = values.Order().ToList(); return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2; }
var (le, lp) = (Median(latencies["engine"]), Median(latencies["endpoint"]));
var (te, tp) = (cycles / cycleSeconds["engine"], cycles / cycleSeconds["endpoint"]);
Console.WriteLine($"date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; cli: {cli}; image: {image}");
Console.WriteLine("| measurement | engine direct | through endpoint | ratio |");
Console.WriteLine("|---|---|---|---|");
Console.WriteLine($"| `docker run --rm {image} true`, median of {runs} (ms) | {le:0} | {lp:0} | {lp / le:0.00}x |");
Console.WriteLine($"| Docker.DotNet create+inspect+remove, {cycles} cycles alternated one by one (cycles/s) | {te:0.0} | {tp:0.0} | {te / tp:0.00}x time |");
Console.WriteLine($"single calls of those cycles, median (ms): " + string.Join("; ",
    new[] { "create", "inspect", "remove" }.Select(op => $"{op} direct {Median(operations["engine " + op]):0.0} / endpoint {Median(operations["endpoint " + op]):0.0}")));
Console.WriteLine($"raw latencies engine: {string.Join(" ", latencies["engine"].Select(v => v.ToString("0")))}");
Console.WriteLine($"raw latencies endpoint: {string.Join(" ", latencies["endpoint"].Select(v => v.ToString("0")))}");

internal sealed record Target(string Name, string Host, string? Network);
