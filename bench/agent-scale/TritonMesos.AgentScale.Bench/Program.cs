// Agent cost per task (issue #16): N sleeping busybox tasks in one burst through a Mesos master, the patched agent
// (triton profile, one configuration per --variant), the Triton-compatible endpoint with TLS and a private dockerd;
// then the same N containers through the Engine API without Mesos, for comparison. See --help and docs/perf.md.
using TritonMesos.AgentScale.Bench;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (BenchUsageException e)
{
    Console.Error.WriteLine("agent-scale: " + e.Message);
    return 2;
}

var results = new List<BurstResult>();
BenchEnvironment env;
try
{
    env = await BenchEnvironment.StartAsync(options);
}
catch (BenchUsageException e)
{
    Console.Error.WriteLine("agent-scale: " + e.Message);
    return 2;
}

// SIGINT/SIGTERM: tear the current burst down and stop, so no master, agent, container or dockerd is left behind.
using var onInt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
void Stop(System.Runtime.InteropServices.PosixSignalContext signal)
{
    signal.Cancel = true;
    env.Log($"{signal.Signal}: stopping after the current burst's teardown");
    env.RequestStop();
}

await using (env)
{
    env.Log($"machine: {Environment.ProcessorCount} cores, MemTotal {File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]} kB, "
        + $"MemAvailable {HostMemory.AvailableMiB()} MiB, load {HostMemory.Load()}; guard {options.MinAvailableMiB} MiB; out {options.Out}");
    foreach (var tasks in options.Tasks)
    {
        foreach (var variant in options.Variants)
        {
            if (env.StopRequested)
                break;
            try
            {
                results.Add(await new BurstRun(env, options, variant, tasks).RunAsync());
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException or Docker.DotNet.DockerApiException)
            {
                env.Log($"burst {variant.Name}-{tasks} failed: {e.GetType().Name}: {e.Message}");
            }
        }
        if (options.Api && !env.StopRequested)
            results.Add(await new ApiBurst(env, options, tasks).RunAsync());
    }
}

var table = new List<string> { $"date {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores; load at end {HostMemory.Load()}; image {options.Image}", "", BurstResult.Header };
table.AddRange(results.Select(r => r.Row()));
table.Add("");
table.AddRange(results.Select(r => $"{r.Variant} N={r.Tasks}: load {r.LoadBefore} → {r.LoadAfter}; MemAvailable {r.AvailableBeforeMiB} → {r.AvailableAfterMiB} MiB; executors gone {(double.IsNaN(r.ExecutorsGoneSeconds) ? "–" : r.ExecutorsGoneSeconds.ToString("0.0") + " s")} after teardown; per-program idle → loaded: "
    + (r.Idle is null || r.Loaded is null ? "–" : string.Join(", ", r.Loaded.Programs.Keys.Union(r.Idle.Programs.Keys).Select(p => $"{p} {r.Idle.Count(p)}→{r.Loaded.Count(p)}")))));
foreach (var r in results.Where(r => r.Phases.Count > 0))
    table.AddRange([$"{r.Variant} N={r.Tasks}:", .. r.Phases]);
File.WriteAllLines(Path.Combine(options.Out, "results.md"), table);
foreach (var line in table)
    Console.WriteLine(line);
return results.Count > 0 && results.All(r => r.Stopped.Length == 0 && r.Failed.Length == 0) ? 0 : 1;
