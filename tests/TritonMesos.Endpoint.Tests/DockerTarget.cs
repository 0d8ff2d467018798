using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using CliWrap;
using CliWrap.Buffered;
using Docker.DotNet;
using Docker.DotNet.X509;
using TritonMesos.TestSupport;
using Xunit;

namespace TritonMesos.Endpoint.Tests;

/// <summary>
/// What the contract tests talk to: this project's endpoint in front of the real engine, or (opt-in with
/// TRITON_MESOS_REAL_TRITON=1) a real Triton named by DOCKER_HOST, DOCKER_CERT_PATH and DOCKER_TLS_VERIFY.
/// </summary>
public abstract class DockerTarget : IAsyncLifetime
{
    /// <summary>DOCKER_HOST value for the CLI, e.g. tcp://127.0.0.1:PORT.</summary>
    public string DockerHost { get; protected set; } = "";

    /// <summary>DOCKER_CERT_PATH (with ca.pem, cert.pem, key.pem) when the target speaks TLS.</summary>
    public string? CertPath { get; protected set; }

    /// <summary>The running in-process endpoint; null against a real Triton.</summary>
    public RunningEndpoint? Endpoint { get; protected set; }

    /// <summary>Options for more endpoints in front of the same engine (its default fabric subnet included).</summary>
    public EndpointOptions Options { get; protected set; } = new();

    /// <summary>The engine behind the endpoint (direct access for checks and cleanup); null against a real Triton.</summary>
    public DockerEngine? Engine { get; protected set; }

    /// <summary>Why the tests cannot run against this target, or null.</summary>
    public string? Unavailable { get; protected set; }

    /// <summary>The image containers are created from.</summary>
    public string Image { get; } = Environment.GetEnvironmentVariable("TRITON_MESOS_TEST_IMAGE") ?? DockerEngine.TestImage;

    public abstract Task InitializeAsync();

    public virtual async Task DisposeAsync()
    {
        if (Endpoint is not null)
            await Endpoint.DisposeAsync();
    }

    /// <summary>Skips (or fails under CI) when the target is not there.</summary>
    public void Require()
    {
        if (Unavailable is null)
            return;
        if (DockerEngine.UnderCi && this is EndpointTarget)
            Assert.Fail("Docker engine required under CI: " + Unavailable);
        Skip.If(true, Unavailable);
    }

    /// <summary>A Docker.DotNet client for the target.</summary>
    public DockerClient CreateClient()
    {
        var uri = new Uri(DockerHost.Replace("tcp://", CertPath is null ? "http://" : "https://"));
        if (CertPath is null)
            return new DockerClientConfiguration(uri).CreateClient();
        var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(CertPath, "cert.pem"), Path.Combine(CertPath, "key.pem"));
        var credentials = new CertificateCredentials(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null))
        {
            ServerCertificateValidationCallback = (_, _, _, _) => true,
        };
        return new DockerClientConfiguration(uri, credentials).CreateClient();
    }

    /// <summary>A raw HTTP client for the target (status codes and headers exactly as sent).</summary>
    public HttpClient CreateHttp()
    {
        var handler = new SocketsHttpHandler { UseProxy = false };
        if (CertPath is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
            handler.SslOptions.ClientCertificates = [X509CertificateLoader.LoadPkcs12(
                X509Certificate2.CreateFromPemFile(Path.Combine(CertPath, "cert.pem"), Path.Combine(CertPath, "key.pem")).Export(X509ContentType.Pkcs12), null)];
        }
        return new HttpClient(handler) { BaseAddress = new Uri(DockerHost.Replace("tcp://", CertPath is null ? "http://" : "https://")) };
    }

    /// <summary>Runs a docker CLI against the target (no exit-code check).</summary>
    public Task<BufferedCommandResult> DockerAsync(string cli, string[] args, string? stdin = null, CancellationToken ct = default)
    {
        var command = Cli.Wrap(cli).WithArguments(args).WithValidation(CommandResultValidation.None)
            .WithEnvironmentVariables(e =>
            {
                e.Set("DOCKER_HOST", DockerHost).Set("DOCKER_CONFIG", ConfigDir);
                if (CertPath is null)
                    e.Set("DOCKER_TLS_VERIFY", null).Set("DOCKER_CERT_PATH", null);
                else
                    e.Set("DOCKER_TLS_VERIFY", "1").Set("DOCKER_CERT_PATH", CertPath);
            });
        if (stdin is not null)
            command = command.WithStandardInputPipe(PipeSource.FromString(stdin));
        return command.ExecuteBufferedAsync(ct);
    }

    private static readonly string ConfigDir = Directory.CreateTempSubdirectory("triton-mesos-docker-config-").FullName;

    /// <summary>Removes containers whatever happened (through the engine when there is one, so refusals cannot get in the way).</summary>
    public async Task RemoveAsync(params string[] names)
    {
        foreach (var name in names)
            if (Engine is not null)
                await Engine.DockerAsync("rm", "-f", name);
            else
                await DockerAsync("docker", ["rm", "-f", name]);
    }

    /// <summary>A unique container name for one test.</summary>
    public static string NewName(string what) => $"tm-ep-{what}-{Guid.NewGuid():N}"[..Math.Min(40, 12 + what.Length + 32)];
}

/// <summary>The in-process endpoint in front of DOCKER_HOST's engine.</summary>
public sealed class EndpointTarget : DockerTarget
{
    public override async Task InitializeAsync()
    {
        try
        {
            Engine = await DockerEngine.RequireAsync();
        }
        catch (SkipException e)
        {
            Unavailable = e.Message;
            return;
        }
        catch (Xunit.Sdk.XunitException e)
        {
            Unavailable = e.Message;
            return;
        }
        Options = new EndpointOptions { Engine = Engine.Host, DefaultFabricSubnet = await TestSubnets.DefaultFabricAsync(Engine, FabricNetwork.Default.EngineName) };
        Endpoint = await TritonEndpoint.StartAsync(Options);
        DockerHost = Endpoint.Address;
    }
}

/// <summary>A real Triton, opt-in: TRITON_MESOS_REAL_TRITON=1 with DOCKER_HOST, DOCKER_CERT_PATH, DOCKER_TLS_VERIFY.</summary>
public sealed class RealTritonTarget : DockerTarget
{
    public override Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("TRITON_MESOS_REAL_TRITON") != "1")
            Unavailable = "real Triton tests are opt-in: set TRITON_MESOS_REAL_TRITON=1 with DOCKER_HOST, DOCKER_CERT_PATH and DOCKER_TLS_VERIFY pointing at a Triton data center";
        else if (Environment.GetEnvironmentVariable("DOCKER_HOST") is not { } host || !host.StartsWith("tcp://", StringComparison.Ordinal))
            Unavailable = "TRITON_MESOS_REAL_TRITON=1 but DOCKER_HOST is not tcp://HOST:2376";
        else
        {
            DockerHost = host;
            CertPath = Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY") is { Length: > 0 } ? Environment.GetEnvironmentVariable("DOCKER_CERT_PATH") : null;
        }
        return Task.CompletedTask;
    }
}

/// <summary>Clients of another endpoint started by a test (its address, and a client certificate directory for TLS).</summary>
public sealed class AddressTarget : DockerTarget
{
    public AddressTarget(string address, string? certPath = null)
    {
        DockerHost = address;
        CertPath = certPath;
    }

    public override Task InitializeAsync() => Task.CompletedTask;
}
