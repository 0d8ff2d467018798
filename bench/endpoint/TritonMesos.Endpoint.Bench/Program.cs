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

await using var endpoint = await TritonEndpoint.StartAsync(new EndpointOptions { Engine = engine });
// Direct runs join the same engine bridge network the endpoint puts containers on (its default fabric): same work underneath.
var direct = new Target("engine", engine, FabricNetwork.Default.EngineName);
var viaEndpoint = new Target("endpoint", endpoint.Address, null);
var leftovers = new List<string>();

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

async Task<double> CyclesAsync(Target target, int count)
{
    using var client = new DockerClientConfiguration(new Uri(target.Host.Replace("tcp://", "http://"))).CreateClient();
    var sw = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = image, Cmd = ["true"], Name = "tm-bench-" + Guid.NewGuid().ToString("N")[..12],
            HostConfig = new HostConfig { NetworkMode = target.Network },
        });
        await client.Containers.InspectContainerAsync(created.ID);
        await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
    }
    return count / sw.Elapsed.TotalSeconds;
}

// warm-up: JIT, connection pools, engine caches
await RunOnceAsync(direct);
await RunOnceAsync(viaEndpoint);
await CyclesAsync(direct, 3);
await CyclesAsync(viaEndpoint, 3);

var latencies = new Dictionary<string, List<double>> { ["engine"] = [], ["endpoint"] = [] };
for (var i = 0; i < runs; i++)
    foreach (var target in i % 2 == 0 ? new[] { direct, viaEndpoint } : [viaEndpoint, direct])
        latencies[target.Name].Add(await RunOnceAsync(target));
var throughput = new Dictionary<string, List<double>> { ["engine"] = [], ["endpoint"] = [] };
for (var i = 0; i < 3; i++)
    foreach (var target in i % 2 == 0 ? new[] { direct, viaEndpoint } : [viaEndpoint, direct])
        throughput[target.Name].Add(await CyclesAsync(target, cycles / 3));

foreach (var name in leftovers)
    await Cli.Wrap(cli).WithArguments(["rm", "-f", name]).WithEnvironmentVariables(e => e.Set("DOCKER_HOST", engine))
        .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

static double Median(List<double> values) { var s = values.Order().ToList(); return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2; }
var (le, lp) = (Median(latencies["engine"]), Median(latencies["endpoint"]));
var (te, tp) = (throughput["engine"].Average(), throughput["endpoint"].Average());
Console.WriteLine($"date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; cli: {cli}; image: {image}");
Console.WriteLine("| measurement | engine direct | through endpoint | ratio |");
Console.WriteLine("|---|---|---|---|");
Console.WriteLine($"| `docker run --rm {image} true`, median of {runs} (ms) | {le:0} | {lp:0} | {lp / le:0.00}x |");
Console.WriteLine($"| Docker.DotNet create+inspect+remove, {cycles} cycles (cycles/s) | {te:0.0} | {tp:0.0} | {te / tp:0.00}x time |");
Console.WriteLine($"raw latencies engine: {string.Join(" ", latencies["engine"].Select(v => v.ToString("0")))}");
Console.WriteLine($"raw latencies endpoint: {string.Join(" ", latencies["endpoint"].Select(v => v.ToString("0")))}");

internal sealed record Target(string Name, string Host, string? Network);
