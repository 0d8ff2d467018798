using TritonMesos.E2E.Tests.Fixture;
using TritonMesos.E2E.Tests.Mesos;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.E2E.Tests.Scenarios;

/// <summary>
/// Scenario 3, remote-docker: the agent reaches the Docker API over TCP+TLS (`--docker_socket=tcp://…`,
/// `--docker_tls_cert_path`). A wrong client certificate, or no TLS flag, stops the agent at start with a clear error.
/// The upstream default (a local unix socket) is shown working against the engine directly, which is not Triton.
/// </summary>
public sealed class RemoteDockerTests(E2EFixture fixture, ITestOutputHelper output) : E2ETest(fixture, output)
{
    [SkippableFact]
    public Task On_TheAgentRunsATaskThroughTheEndpointOverTls() =>
        ScenarioAsync("remote-docker", "on (tcp:// + --docker_tls_cert_path)", Triton, async (context, cluster, agent) =>
        {
            using var agentHttp = MesosCluster.AgentHttp(agent);
            var flags = (await agentHttp.GetJsonAsync("/flags")).GetProperty("flags");
            Assert.Equal(context.EndpointUrl, flags.GetProperty(Features.RemoteDocker.DockerSocket.Name).GetString());
            Assert.Equal(MesosCluster.TlsMountPoint, flags.GetProperty(Features.RemoteDocker.DockerTlsCertPath.Name).GetString());

            await using var scheduler = await cluster.SubscribeAsync("remote-on");
            var task = cluster.NewTask(TaskId("remote"), "echo remote-ok; sleep 3");
            await scheduler.LaunchAsync(await scheduler.OfferAsync(o => o.AgentId == agent.AgentId, context.TaskTimeout, "from the agent"), task);
            await scheduler.WaitForStateAsync(task.TaskId, context.TaskTimeout, "TASK_RUNNING");

            // BRIDGE through the endpoint; the engine here has no bridge network, so the endpoint must use none underneath.
            var container = await TaskContainerAsync(context, task.TaskId, TimeSpan.FromSeconds(30));
            Output.WriteLine($"engine sees {container.Name}: NetworkMode={container.HostConfig.NetworkMode}, image {container.Config.Image}");
            Assert.Equal(TritonMesos.Endpoint.FabricNetwork.Default.EngineName, container.HostConfig.NetworkMode);
            Assert.Equal("TASK_FINISHED", (await scheduler.WaitForTerminalAsync(task.TaskId, context.TaskTimeout)).State);
        });

    [SkippableFact]
    public Task On_AWrongClientCertificateStopsTheAgentAtStartWithAClearError() =>
        ScenarioAsync("remote-docker", "on, wrong client certificate", async (context, cluster) =>
        {
            var (exit, log, registered) = await cluster.StartAgentExpectingExitAsync(Triton(context).WithTls(context.Tls.WrongClientDir), context.StartTimeout);
            Output.WriteLine($"agent exit code {exit}, registered={registered}; log tail:\n{Tail(log)}");
            Assert.NotEqual(0, exit);
            Assert.False(registered, "an agent that cannot reach its Docker endpoint must not register");
            // The endpoint, like Triton, answers every call without a valid client certificate with 401 Unauthorized.
            Assert.Matches("(?i)unauthori[sz]ed|certificate|tls|x509", log);
        });

    [SkippableFact]
    public Task Off_WithoutTheTlsFlagTheAgentStopsAtStartWithAClearError() =>
        ScenarioAsync("remote-docker", "off (no --docker_tls_cert_path, upstream default)", async (context, cluster) =>
        {
            var (exit, log, registered) = await cluster.StartAgentExpectingExitAsync(AgentSpec.Triton.WithTls(null).WithoutFlag(Features.RemoteDocker.DockerTlsCertPath), context.StartTimeout);
            Output.WriteLine($"agent exit code {exit}, registered={registered}; log tail:\n{Tail(log)}");
            Assert.NotEqual(0, exit);
            Assert.False(registered);
            Assert.Matches("(?i)https|tls|certificate|malformed", log);
        });

    [SkippableFact]
    public Task Off_TheUpstreamUnixSocketTalksToTheLocalEngineDirectly() =>
        ScenarioAsync("remote-docker", "off (--docker_socket=/var/run/docker.sock, upstream default)",
            c => AgentSpec.Triton.WithTls(null).WithoutFlag(Features.RemoteDocker.DockerTlsCertPath) with
            {
                UseEndpoint = false,
                MountEngineSocket = UnixSocketPath(c.Engine.Host),
                Flags = AgentSpec.Triton.Flags.SetItem(Features.RemoteDocker.DockerSocket.Name, "/var/run/docker.sock"),
            },
            async (context, cluster, agent) =>
            {
                await using var scheduler = await cluster.SubscribeAsync("remote-off");
                // Not through the endpoint: the engine has no bridge network, so the upstream default HOST mode is used.
                var task = cluster.NewTask(TaskId("local"), "echo local-ok; sleep 3").WithNetwork("HOST");
                await scheduler.LaunchAsync(await scheduler.OfferAsync(o => o.AgentId == agent.AgentId, context.TaskTimeout, "from the agent"), task);
                await scheduler.WaitForStateAsync(task.TaskId, context.TaskTimeout, "TASK_RUNNING");
                var container = await TaskContainerAsync(context, task.TaskId, TimeSpan.FromSeconds(30));
                Output.WriteLine($"engine sees {container.Name}: NetworkMode={container.HostConfig.NetworkMode} (Triton refuses host with 400)");
                Assert.Equal("host", container.HostConfig.NetworkMode);
                Assert.Equal("TASK_FINISHED", (await scheduler.WaitForTerminalAsync(task.TaskId, context.TaskTimeout)).State);
            });

    private static string UnixSocketPath(string host) =>
        host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : throw new Xunit.SkipException($"the engine is not on a unix socket ({host})");

    private static string Tail(string s) => s.Length <= 3000 ? s : "…" + s[^3000..];
}
