using CliWrap;
using CliWrap.Buffered;
using TritonMesos.E2E.Tests.Fixture;
using TritonMesos.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.E2E.Tests.Scenarios;

/// <summary>
/// What the scenarios rely on from the endpoint, checked without Mesos (so it runs in CI) with the docker CLI over TLS,
/// as the agent uses it: client certificates required, a BRIDGE container created on the endpoint's default fabric (an
/// engine bridge network, no host port bindings), and Triton's refusal of host bind mounts. The engine is inspected
/// directly.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class EndpointWiringTests(E2EFixture fixture, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task BridgeNetworkingPutsTheContainerOnTheDefaultFabric()
    {
        var context = await fixture.RequireEndpointAsync(output);
        await fixture.RunScenarioAsync("endpoint-wiring", "bridge → the default fabric underneath", output, async () =>
        {
            var create = await DockerAsync(context, context.Tls.ClientDir,
                "create", "--label", $"{Engine.RunLabel}={context.RunId}", "--network", "bridge", DockerEngine.TestImage, "true");
            Assert.True(create.ExitCode == 0, "docker create through the endpoint failed: " + create.StandardError);
            var id = create.StandardOutput.Trim();
            try
            {
                var onEngine = await context.Engine.InspectAsync(id);
                Assert.NotNull(onEngine);
                output.WriteLine($"created through the endpoint with --network bridge; engine NetworkMode={onEngine.HostConfig.NetworkMode}");
                Assert.Equal(TritonMesos.Endpoint.FabricNetwork.Default.EngineName, onEngine.HostConfig.NetworkMode);
                Assert.True((onEngine.HostConfig.PortBindings ?? new Dictionary<string, IList<Docker.DotNet.Models.PortBinding>>()).Count == 0, "the engine has host port bindings");
                var start = await DockerAsync(context, context.Tls.ClientDir, "start", "-a", id);
                Assert.True(start.ExitCode == 0, "docker start -a through the endpoint failed: " + start.StandardError);
            }
            finally
            {
                await context.Engine.RemoveQuietlyAsync(id);
            }
        });
    }

    [SkippableFact]
    public async Task HostBindMountsAreRefusedAsTritonRefusesThem()
    {
        var context = await fixture.RequireEndpointAsync(output);
        await fixture.RunScenarioAsync("endpoint-wiring", "host bind refused (422)", output, async () =>
        {
            var create = await DockerAsync(context, context.Tls.ClientDir,
                "create", "--label", $"{Engine.RunLabel}={context.RunId}", "-v", "/tmp:/mnt/mesos/sandbox", DockerEngine.TestImage, "true");
            output.WriteLine($"exit {create.ExitCode}: {create.StandardError.Trim()}");
            Assert.NotEqual(0, create.ExitCode);
            Assert.Contains("(Validation) Invalid binds: /tmp:/mnt/mesos/sandbox: /tmp is not a valid volume name", create.StandardError, StringComparison.Ordinal);
            Assert.Empty(await context.Engine.ContainersAsync(Engine.RunLabel, context.RunId));
        });
    }

    [SkippableFact]
    public async Task AWrongClientCertificateIsRefused()
    {
        var context = await fixture.RequireEndpointAsync(output);
        await fixture.RunScenarioAsync("endpoint-wiring", "wrong client certificate refused (401)", output, async () =>
        {
            var good = await DockerAsync(context, context.Tls.ClientDir, "ps", "-a", "-q");
            Assert.True(good.ExitCode == 0, "docker ps with the right certificate failed: " + good.StandardError);
            // Like Triton's 2376: the handshake takes any certificate, every API call without a valid one gets 401.
            var wrong = await DockerAsync(context, context.Tls.WrongClientDir, "ps", "-a", "-q");
            output.WriteLine($"wrong certificate: exit {wrong.ExitCode}: {wrong.StandardError.Trim()}");
            Assert.NotEqual(0, wrong.ExitCode);
            Assert.Contains("Unauthorized", wrong.StandardError, StringComparison.Ordinal);
        });
    }

    /// <summary>Debian's docker CLI against the endpoint with --tlsverify and the certificates in <paramref name="certDir"/>.</summary>
    private static Task<BufferedCommandResult> DockerAsync(E2EContext context, string certDir, params string[] args) =>
        Cli.Wrap(File.Exists("/usr/bin/docker") ? "/usr/bin/docker" : "docker")
            .WithArguments([
                "-H", context.EndpointUrl!, "--tlsverify",
                "--tlscacert", Path.Combine(certDir, "ca.pem"), "--tlscert", Path.Combine(certDir, "cert.pem"), "--tlskey", Path.Combine(certDir, "key.pem"),
                .. args,
            ])
            .WithEnvironmentVariables(e => e.Set("DOCKER_HOST", null).Set("DOCKER_CERT_PATH", null).Set("DOCKER_TLS_VERIFY", null))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
}
