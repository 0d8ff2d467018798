using System.Text.Json.Nodes;
using Docker.DotNet.Models;
using TritonMesos.E2E.Tests.Fixture;

namespace TritonMesos.E2E.Tests.Mesos;

/// <summary>
/// Apache Mesos' own command-line framework, <c>mesos-execute</c> (shipped in the agent image), launching one TaskInfo
/// given as JSON, as a user would: <c>mesos-execute --master=… --task=&lt;json&gt;</c>. It runs as a container of this
/// cluster on the host network and exits once its task is terminal.
/// </summary>
public sealed partial class MesosCluster
{
    /// <summary>Starts <c>mesos-execute</c> with <paramref name="task"/> (agent_id is filled in by mesos-execute; <paramref name="name"/> names only the container, mesos-execute refuses --name with --task); returns its container id.</summary>
    public async Task<string> StartMesosExecuteAsync(string name, JsonObject task)
    {
        var create = new CreateContainerParameters
        {
            Image = _context.Image.Id,
            Name = $"triton-mesos-e2e-execute-{Id}-{name}",
            Cmd =
            [
                "mesos-execute",
                $"--master=127.0.0.1:{MasterPort}",
                "--task=" + task.ToJsonString(),
                "--checkpoint",
            ],
            Labels = Labels("framework"),
            HostConfig = new HostConfig { NetworkMode = "host" },
        };
        var id = await RunAsync(create);
        _context.Log($"mesos-execute {name}: {task.ToJsonString()}");
        return id;
    }

    /// <summary>Waits (bounded) until a mesos-execute container has exited; returns its exit code and log.</summary>
    public async Task<(long ExitCode, string Log)> WaitForExitAsync(string containerId, TimeSpan timeout)
    {
        var inspect = await Wait.ForAsync($"mesos-execute {containerId[..12]} to exit", timeout, async () =>
        {
            var i = await _context.Engine.InspectAsync(containerId);
            return i is null || !i.State.Running ? i : null;
        }, TimeSpan.FromSeconds(2), () => "still running");
        return (inspect.State.ExitCode, await _context.Engine.LogsAsync(containerId, 400));
    }
}
