using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TritonMesos.Endpoint.Tests;

/// <summary>A throw-away CA, server certificate (127.0.0.1) and client certificate (CN tm-client), written as PEM files.</summary>
public sealed class TestPki : IDisposable
{
    private readonly DirectoryInfo _root;

    /// <summary>The endpoint's --tls-cert-dir: ca.pem, server-cert.pem, server-key.pem.</summary>
    public string ServerDir => Path.Combine(_root.FullName, "server");

    /// <summary>The client's DOCKER_CERT_PATH: ca.pem, cert.pem, key.pem.</summary>
    public string ClientDir => Path.Combine(_root.FullName, "client");

    private TestPki(DirectoryInfo root) => _root = root;

    public static TestPki Create()
    {
        var pki = new TestPki(Directory.CreateTempSubdirectory("tm-ep-pki-"));
        Directory.CreateDirectory(pki.ServerDir);
        Directory.CreateDirectory(pki.ClientDir);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=triton-mesos test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var caPem = ca.ExportCertificatePem();
        File.WriteAllText(Path.Combine(pki.ServerDir, "ca.pem"), caPem);
        File.WriteAllText(Path.Combine(pki.ClientDir, "ca.pem"), caPem);

        Issue(ca, "CN=127.0.0.1", server: true, Path.Combine(pki.ServerDir, "server-cert.pem"), Path.Combine(pki.ServerDir, "server-key.pem"));
        Issue(ca, "CN=tm-client", server: false, Path.Combine(pki.ClientDir, "cert.pem"), Path.Combine(pki.ClientDir, "key.pem"));
        return pki;
    }

    private static void Issue(X509Certificate2 ca, string subject, bool server, string certPath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(12);
        using var cert = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(6), serial);
        File.WriteAllText(certPath, cert.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose() => _root.Delete(recursive: true);
}
