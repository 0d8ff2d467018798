using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TritonMesos.TestSupport;
using Xunit;

namespace TritonMesos.Endpoint.Tests;

/// <summary>Bad input and bad clients: typed errors with a log line, stalled bodies, forged log lines, certificates, listeners, resets.</summary>
public sealed class RobustnessTests(EndpointTarget target) : IClassFixture<EndpointTarget>
{
    [SkippableTheory]
    [InlineData("{\"Image\":\"IMG\",\"HostConfig\":{\"NetworkMode\":1}}", "(Validation) \"HostConfig.NetworkMode\" must be a string")]
    [InlineData("{\"Image\":\"IMG\",\"HostConfig\":{\"Binds\":[1]}}", "(Validation) \"HostConfig.Binds\" must be an array of strings")]
    [InlineData("{\"Image\":\"IMG\",\"Image\":\"IMG\",\"HostConfig\":{\"Memory\":\"lots\",\"RestartPolicy\":{\"MaximumRetryCount\":\"x\"}}}", "(Validation) \"HostConfig.RestartPolicy.MaximumRetryCount\" must be an integer")]
    [InlineData("{\"Image\":\"IMG\",\"Cmd\":\"true\"}", "(Validation) \"Cmd\" must be an array of strings")]
    public async Task Malformed_types_are_422_with_a_log_line(string body, string prefix)
    {
        target.Require();
        var response = await RawHttp.SendAsync(target.Endpoint!.HttpUri, "POST", "/v1.41/containers/create", body.Replace("IMG", target.Image));
        Assert.Equal(422, response.Status);
        Assert.StartsWith(prefix, response.Body);
        var id = response.Body[(response.Body.LastIndexOf('(') + 1)..^1];
        Assert.False(target.Endpoint.Log.Find(id)!.Forwarded);
    }

    [SkippableFact]
    public async Task A_declared_body_that_never_arrives_does_not_hold_the_request()
    {
        target.Require();
        var uri = target.Endpoint!.HttpUri;
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(uri.Host, uri.Port);
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /v1.41/containers/create HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"Ima"));
        var received = new MemoryStream();
        var started = DateTime.UtcNow;
        await stream.CopyToAsync(received).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(45), "the stalled request was held");
    }

    [SkippableFact]
    public async Task Control_characters_from_the_request_cannot_forge_log_lines()
    {
        target.Require();
        var writer = new StringWriter();
        await using var endpoint = await TritonEndpoint.StartAsync(target.Options.WithLogWriter(writer));
        await RawHttp.SendAsync(endpoint.HttpUri, "GET", "/v1.41/containers/a%0D%0A2026-01-01T00:00:00.000Z%20forged%20GET%20/x%20200/json");
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.DoesNotContain('\r', lines[0]);
    }

    [SkippableFact]
    public async Task A_server_only_certificate_is_not_a_client_certificate()
    {
        target.Require();
        using var dir = new TemporaryDirectory(Directory.CreateTempSubdirectory("tm-ep-pki-"));
        var certs = TestCertificates.Create(dir.Path);
        await using var endpoint = await TritonEndpoint.StartAsync(target.Options.WithTlsCertDir(certs.ServerDir));
        var serverAsClient = new AddressTarget(endpoint.Address, certs.ServerDir);
        using var http = serverAsClient.CreateHttp();
        var response = await http.GetAsync("/v1.41/info");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var good = new AddressTarget(endpoint.Address, certs.ClientDir);
        using var goodHttp = good.CreateHttp();
        Assert.Equal(HttpStatusCode.OK, (await goodHttp.GetAsync("/v1.41/info")).StatusCode);
    }

    [SkippableFact]
    public async Task A_client_certificate_that_expires_after_first_use_is_refused_once_expired()
    {
        target.Require();
        using var dir = new TemporaryDirectory(Directory.CreateTempSubdirectory("tm-ep-expiry-"));
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=tm-ep expiry CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        (X509Certificate2 Cert, RSA Key) Issue(string cn, DateTimeOffset notAfter, bool server)
        {
            var key = RSA.Create(2048);
            var request = new CertificateRequest($"CN={cn}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            if (server)
            {
                var san = new SubjectAlternativeNameBuilder();
                san.AddIpAddress(IPAddress.Loopback);
                request.CertificateExtensions.Add(san.Build());
            }
            var cert = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(8));
            return (cert, key);
        }
        var (serverCert, serverKey) = Issue("127.0.0.1", DateTimeOffset.UtcNow.AddDays(1), server: true);
        var (clientCert, clientKey) = Issue("expiring", DateTimeOffset.UtcNow.AddSeconds(8), server: false);
        var serverDir = Directory.CreateDirectory(Path.Combine(dir.Path, "server")).FullName;
        var clientDir = Directory.CreateDirectory(Path.Combine(dir.Path, "client")).FullName;
        File.WriteAllText(Path.Combine(serverDir, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(serverDir, "server-cert.pem"), serverCert.ExportCertificatePem());
        File.WriteAllText(Path.Combine(serverDir, "server-key.pem"), serverKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(clientDir, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(clientDir, "cert.pem"), clientCert.ExportCertificatePem());
        File.WriteAllText(Path.Combine(clientDir, "key.pem"), clientKey.ExportPkcs8PrivateKeyPem());
        await using var endpoint = await TritonEndpoint.StartAsync(target.Options.WithTlsCertDir(serverDir));
        var client = new AddressTarget(endpoint.Address, clientDir);
        using (var http = client.CreateHttp())
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/v1.41/version")).StatusCode);
        await Task.Delay(clientCert.NotAfter - DateTime.Now + TimeSpan.FromSeconds(1));
        using (var http = client.CreateHttp())
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/v1.41/version")).StatusCode);
    }

    [SkippableFact]
    public async Task Listen_addresses_are_checked_and_plain_http_beyond_loopback_needs_allow_insecure()
    {
        target.Require();
        await using (var mapped = await TritonEndpoint.StartAsync(target.Options.WithListen("tcp://[::ffff:127.0.0.1]:0")))
            Assert.StartsWith("tcp://127.0.0.1:", mapped.Address);
        var e = await Assert.ThrowsAsync<TritonMesosException>(() => TritonEndpoint.StartAsync(
            target.Options.WithListen("tcp://0.0.0.0:0").WithAllowNonLoopback()));
        Assert.Contains("without TLS", e.Message);
    }

    [SkippableFact]
    public async Task A_client_resetting_mid_upload_is_logged_as_gone_not_as_the_engine()
    {
        target.Require();
        var uri = target.Endpoint!.HttpUri;
        using (var socket = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(uri.Host, uri.Port);
            await socket.SendAsync(Encoding.ASCII.GetBytes("POST /v1.41/build?t=tm-ep-reset HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-tar\r\nContent-Length: 10000000\r\nX-Probe: reset\r\n\r\n"));
            await socket.SendAsync(new byte[64 * 1024]);
            await Task.Delay(300);
            socket.LingerState = new LingerOption(true, 0); // RST on close
            socket.Close();
        }
        EndpointLogEntry? entry = null;
        for (var i = 0; i < 50 && entry is null; i++)
        {
            await Task.Delay(200);
            entry = target.Endpoint.Log.Entries.LastOrDefault(e => e.Path.Contains("tm-ep-reset"));
        }
        Assert.NotNull(entry);
        Assert.Equal(499, entry.Status);
        Assert.Equal("client.disconnected", entry.Rule);
    }
}
