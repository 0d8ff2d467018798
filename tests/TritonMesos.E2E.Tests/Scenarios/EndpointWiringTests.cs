using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Docker.DotNet;
using Docker.DotNet.Models;
using Docker.DotNet.X509;
using TritonMesos.E2E.Tests.Fixture;
using TritonMesos.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace TritonMesos.E2E.Tests.Scenarios;

/// <summary>
/// What the scenarios rely on from the endpoint, checked without Mesos (so it runs in CI): TLS with required client
/// certificates, a BRIDGE container created as `--network none` on an engine without a bridge network, and Triton's
/// refusal of host bind mounts.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class EndpointWiringTests(E2EFixture fixture, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task BridgeNetworkingIsCreatedAsNetworkNoneOnTheEngine()
    {
        var context = await fixture.RequireEndpointAsync(output);
        await fixture.RunScenarioAsync("endpoint-wiring", "bridge → none underneath", output, async () =>
        {
            using var client = Client(context, wrong: false);
            var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = DockerEngine.TestImage,
                Name = "triton-mesos-e2e-bridge-" + Guid.NewGuid().ToString("N")[..8],
                Cmd = ["true"],
                Labels = new Dictionary<string, string> { [Engine.RunLabel] = context.RunId },
                HostConfig = new HostConfig { NetworkMode = "bridge" },
            });
            try
            {
                var onEngine = await context.Engine.InspectAsync(created.ID);
                Assert.NotNull(onEngine);
                output.WriteLine($"created through the endpoint with bridge; engine NetworkMode={onEngine.HostConfig.NetworkMode}");
                Assert.Equal("none", onEngine.HostConfig.NetworkMode);
                await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
                var exit = await client.Containers.WaitContainerAsync(created.ID);
                Assert.Equal(0, exit.StatusCode);
            }
            finally
            {
                await context.Engine.RemoveQuietlyAsync(created.ID);
            }
        });
    }

    [SkippableFact]
    public async Task HostBindMountsAreRefusedAsTritonRefusesThem()
    {
        var context = await fixture.RequireEndpointAsync(output);
        await fixture.RunScenarioAsync("endpoint-wiring", "host bind refused (422)", output, async () =>
        {
            using var client = Client(context, wrong: false);
            var refused = await Assert.ThrowsAnyAsync<DockerApiException>(() => client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = DockerEngine.TestImage,
                Cmd = ["true"],
                Labels = new Dictionary<string, string> { [Engine.RunLabel] = context.RunId },
                HostConfig = new HostConfig { NetworkMode = "bridge", Binds = ["/tmp:/mnt/mesos/sandbox"] },
            }));
            output.WriteLine($"{(int)refused.StatusCode}: {refused.ResponseBody}");
            Assert.Equal(422, (int)refused.StatusCode);
            Assert.Contains("Invalid binds", refused.ResponseBody, StringComparison.Ordinal);
            Assert.Empty(await context.Engine.ContainersAsync(Engine.RunLabel, context.RunId));
        });
    }

    [SkippableFact]
    public async Task AWrongClientCertificateIsRefused()
    {
        var context = await fixture.RequireEndpointAsync(output);
        await fixture.RunScenarioAsync("endpoint-wiring", "wrong client certificate refused", output, async () =>
        {
            using var good = Client(context, wrong: false);
            await good.System.PingAsync();
            using var wrong = Client(context, wrong: true);
            var error = await Assert.ThrowsAnyAsync<Exception>(() => wrong.System.PingAsync());
            output.WriteLine($"wrong certificate: {error.GetType().Name}: {error.GetBaseException().Message}");
        });
    }

    private static DockerClient Client(E2EContext context, bool wrong)
    {
        var ca = context.Tls.LoadCa();
        var credentials = new CertificateCredentials(context.Tls.LoadClientCertificate(wrong))
        {
            ServerCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null)
                    return false;
                if (errors == SslPolicyErrors.None)
                    return true;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            },
        };
        return new DockerClientConfiguration(new Uri(context.EndpointUrl!), credentials, TimeSpan.FromSeconds(60)).CreateClient();
    }
}
