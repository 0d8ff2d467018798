using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Docker.DotNet;
using Docker.DotNet.Models;
using Docker.DotNet.X509;
using TritonMesos.E2E.Tests.Fixture;
using TritonMesos.TestSupport;

namespace TritonMesos.AgentScale.Bench;

/// <summary>
/// The obvious alternative to an executor and an attached CLI per task: the same N containers (busybox sleep, same memory
/// and CPU shares as the agent gives them) created and started through the Engine API over the same endpoint with TLS,
/// from one process, <see cref="BenchOptions.ApiConcurrency"/> at a time; then removed the same way. It holds no
/// process per container on the launching host, and it bounds what the engine and endpoint can do on this machine.
/// </summary>
public sealed class ApiBurst(BenchEnvironment env, BenchOptions options, int tasks)
{
    /// <summary>Runs the alternative and returns its figures in the bench's row shape.</summary>
    public async Task<BurstResult> RunAsync()
    {
        var label = $"api-{tasks}-{Guid.NewGuid().ToString("N")[..6]}";
        var name = $"engine API, {options.ApiConcurrency} at a time";
        env.Log($"=== alternative: {tasks} containers through the Engine API (TLS, endpoint), {options.ApiConcurrency} at a time");
        using var client = Client();
        var result = new BurstResult(name, tasks) { LoadBefore = HostMemory.Load(), AvailableBeforeMiB = HostMemory.AvailableMiB() };
        var started = new ConcurrentBag<double>();
        var failures = new ConcurrentBag<string>();
        var ids = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        string? stop = null;
        using var gate = new SemaphoreSlim(options.ApiConcurrency);
        var progress = Task.Run(async () =>
        {
            while (started.Count + failures.Count < tasks && stop is null)
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                env.Log($"+{clock.Elapsed.TotalSeconds:0}s running {started.Count}/{tasks}, failed {failures.Count}; MemAvailable {HostMemory.AvailableMiB()} MiB; load {HostMemory.Load()}");
            }
        });
        var launches = Enumerable.Range(1, tasks).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                if (stop is not null || env.StopRequested)
                    return;
                if (HostMemory.AvailableMiB() < options.MinAvailableMiB)
                {
                    stop = $"memory guard: MemAvailable below {options.MinAvailableMiB} MiB at {started.Count} running";
                    return;
                }
                var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
                {
                    Image = DockerEngine.TestImage,
                    Cmd = ["sleep", "3600"],
                    Labels = new Dictionary<string, string> { [Engine.RunLabel] = env.Context.RunId, [Engine.ClusterLabel] = label },
                    HostConfig = new HostConfig { Memory = 16L * 1024 * 1024, CPUShares = 10 },
                });
                ids.Add(created.ID);
                await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
                started.Add(clock.Elapsed.TotalSeconds);
            }
            catch (DockerApiException e)
            {
                failures.Add($"{e.StatusCode}: {e.ResponseBody}");
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(launches);
        await progress;
        var times = started.Order().ToList();
        var running = (await env.DataCenter.Engine.ContainersAsync(Engine.ClusterLabel, label)).Count(c => c.State == "running");
        result = result with
        {
            Running = times.Count,
            Failed = failures.IsEmpty ? "" : $"{failures.Count} failed, e.g. {failures.First()}",
            Stopped = stop ?? "",
            FirstRunningSeconds = times.Count > 0 ? times[0] : double.NaN,
            AllRunningSeconds = times.Count > 0 ? times[^1] : double.NaN,
            MedianRunningSeconds = times.Count > 0 ? times[times.Count / 2] : double.NaN,
            P95RunningSeconds = times.Count > 0 ? times[Math.Min(times.Count - 1, (int)Math.Ceiling(0.95 * times.Count) - 1)] : double.NaN,
            EngineRunning = running,
        };
        await Task.Delay(TimeSpan.FromSeconds(10));
        result = result with { AvailableAfterMiB = HostMemory.AvailableMiB(), LoadAfter = HostMemory.Load() };

        var removal = Stopwatch.StartNew();
        await Task.WhenAll(ids.Select(async id =>
        {
            await gate.WaitAsync();
            try
            {
                await client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true });
            }
            finally
            {
                gate.Release();
            }
        }));
        var left = (await env.DataCenter.Engine.ContainersAsync(Engine.ClusterLabel, label)).Count;
        result = result with { RemovedSeconds = removal.Elapsed.TotalSeconds, Orphans = left };
        env.Log("result: " + result.Row());
        return result;
    }

    private DockerClient Client()
    {
        var ca = env.Context.Tls.LoadCa();
        var credentials = new CertificateCredentials(env.Context.Tls.LoadClientCertificate())
        {
            // Trust only the run's CA, as the docker CLI does with --tlsverify and ca.pem.
            ServerCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                    return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            },
        };
        return new DockerClientConfiguration(new Uri(env.DataCenter.Endpoint.Url), credentials, TimeSpan.FromMinutes(2)).CreateClient();
    }
}
