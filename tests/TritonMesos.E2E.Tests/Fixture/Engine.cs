using System.Text.RegularExpressions;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace TritonMesos.E2E.Tests.Fixture;

/// <summary>The Docker engine underneath the endpoint, seen directly through Docker.DotNet (never through the endpoint).</summary>
public sealed partial class Engine(string host) : IDisposable
{
    /// <summary>Label on every container this suite starts, directly or through Mesos (value: the run id).</summary>
    public const string RunLabel = "io.triton-mesos.e2e.run";

    /// <summary>Label naming the cluster (one test's master and agent) a container belongs to.</summary>
    public const string ClusterLabel = "io.triton-mesos.e2e.cluster";

    /// <summary>Triton's alias rule: sdc-vmapi ALIAS_RE /^[a-zA-Z0-9][a-zA-Z0-9\_\.\-]*$/ (same set, .NET escaping).</summary>
    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    public static partial Regex TritonAlias();

    /// <summary>The name Mesos 1.11 gives a command task's container: mesos-&lt;container uuid&gt;.</summary>
    [GeneratedRegex(@"^mesos-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    public static partial Regex MesosContainerName();

    /// <summary>Triton's maximum alias length.</summary>
    public const int TritonAliasMaxLength = 189;

    /// <summary>The engine's address (DOCKER_HOST).</summary>
    public string Host { get; } = host;

    /// <summary>A Docker.DotNet client on the engine.</summary>
    public DockerClient Client { get; } = new DockerClientConfiguration(new Uri(host), defaultTimeout: TimeSpan.FromSeconds(100)).CreateClient();

    /// <summary>Every container (running or not) that carries <paramref name="label"/>=<paramref name="value"/>.</summary>
    public async Task<IList<ContainerListResponse>> ContainersAsync(string label, string value) =>
        await Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{label}={value}"] = true } },
        });

    /// <summary>Every container whose name starts with mesos- (the agent's own prefix), running or not.</summary>
    public async Task<IList<ContainerListResponse>> MesosContainersAsync() =>
        (await Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { ["mesos-"] = true } },
        })).Where(c => c.Names.Any(n => n.TrimStart('/').StartsWith("mesos-", StringComparison.Ordinal))).ToList();

    /// <summary>Inspects a container, or returns null when the engine no longer has it.</summary>
    public async Task<ContainerInspectResponse?> InspectAsync(string idOrName)
    {
        try
        {
            return await Client.Containers.InspectContainerAsync(idOrName);
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Removes (force) every container carrying the label; returns how many were removed.</summary>
    public async Task<int> RemoveAsync(string label, string value)
    {
        var removed = 0;
        foreach (var container in await ContainersAsync(label, value))
            if (await RemoveQuietlyAsync(container.ID))
                removed++;
        return removed;
    }

    /// <summary>
    /// Removes (force) every container of run <paramref name="ownRun"/> and of every other run that <paramref name="isAlive"/>
    /// says has ended (leftovers of interrupted runs); the containers of runs still going (another checkout's suite on the
    /// same engine) are left alone.
    /// </summary>
    public async Task<int> RemoveRunsAsync(string ownRun, Func<string, bool> isAlive)
    {
        var all = await Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [RunLabel] = true } },
        });
        var removed = 0;
        foreach (var container in all)
        {
            var run = container.Labels.TryGetValue(RunLabel, out var value) ? value : "";
            if (run != ownRun && isAlive(run))
                continue;
            if (await RemoveQuietlyAsync(container.ID))
                removed++;
        }
        return removed;
    }

    /// <summary>Force-removes one container; false when it was already gone.</summary>
    public async Task<bool> RemoveQuietlyAsync(string id)
    {
        try
        {
            await Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });
            return true;
        }
        catch (DockerContainerNotFoundException)
        {
            return false;
        }
        catch (DockerApiException e) when (e.Message.Contains("already in progress", StringComparison.Ordinal))
        {
            return false;
        }
    }

    /// <summary>Stdout and stderr of a container, interleaved as written (bounded to the last <paramref name="tail"/> lines).</summary>
    public async Task<string> LogsAsync(string id, int tail = 200)
    {
        try
        {
            using var stream = await Client.Containers.GetContainerLogsAsync(id, false,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = tail.ToString() });
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(cts.Token);
            return stdout + stderr;
        }
        catch (DockerContainerNotFoundException)
        {
            return "(container gone)";
        }
    }

    /// <summary>Writes a container's log (last 5000 lines) to <paramref name="path"/>; a failure is only logged.</summary>
    public async Task SaveLogsAsync(string id, string path, Action<string> log)
    {
        try
        {
            await File.WriteAllTextAsync(path, await LogsAsync(id, 5000));
        }
        catch (Exception e)
        {
            log($"could not save the log of {Path.GetFileNameWithoutExtension(path)}: {e.Message}");
        }
    }

    public void Dispose() => Client.Dispose();
}
