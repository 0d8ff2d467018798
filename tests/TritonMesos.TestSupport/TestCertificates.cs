using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TritonMesos.TestSupport;

/// <summary>
/// Throw-away certificates for tests (endpoint tests and the E2E fixture), laid out the way Docker (and Triton's 2376) expect them:
/// a server directory for the endpoint's <c>--tls-cert-dir</c>, a client directory for the agent's
/// <c>--docker_tls_cert_path</c> (ca.pem, cert.pem, key.pem), and a client directory whose certificate is
/// signed by a different CA (the "wrong client certificate").
/// </summary>
public sealed record TestCertificates(string ServerDir, string ClientDir, string WrongClientDir)
{
    /// <summary>The common name of the client certificate (Triton takes the account from it).</summary>
    public const string ClientName = "triton-mesos-test-client";

    /// <summary>Creates a CA, a server certificate for 127.0.0.1/localhost, a client certificate and a rogue client certificate under <paramref name="root"/>.</summary>
    public static TestCertificates Create(string root)
    {
        var ca = CreateAuthority("triton-mesos test CA");
        var rogue = CreateAuthority("triton-mesos test rogue CA");
        var server = Issue(ca, "127.0.0.1", serverAuth: true);
        var client = Issue(ca, ClientName, serverAuth: false);
        var wrong = Issue(rogue, "triton-mesos-test-wrong-client", serverAuth: false);

        var serverDir = Directory.CreateDirectory(Path.Combine(root, "server")).FullName;
        var clientDir = Directory.CreateDirectory(Path.Combine(root, "client")).FullName;
        var wrongDir = Directory.CreateDirectory(Path.Combine(root, "wrong-client")).FullName;

        // The endpoint's directory: the docker-machine names (server-cert.pem, server-key.pem) and the plain ones.
        Write(serverDir, "ca.pem", ca.Certificate.ExportCertificatePem());
        Write(serverDir, "server-cert.pem", server.Certificate.ExportCertificatePem());
        Write(serverDir, "server-key.pem", server.Key.ExportRSAPrivateKeyPem());
        Write(serverDir, "cert.pem", server.Certificate.ExportCertificatePem());
        Write(serverDir, "key.pem", server.Key.ExportRSAPrivateKeyPem());

        Write(clientDir, "ca.pem", ca.Certificate.ExportCertificatePem());
        Write(clientDir, "cert.pem", client.Certificate.ExportCertificatePem());
        Write(clientDir, "key.pem", client.Key.ExportRSAPrivateKeyPem());

        // Trusts the right server, but presents a certificate the endpoint has never seen.
        Write(wrongDir, "ca.pem", ca.Certificate.ExportCertificatePem());
        Write(wrongDir, "cert.pem", wrong.Certificate.ExportCertificatePem());
        Write(wrongDir, "key.pem", wrong.Key.ExportRSAPrivateKeyPem());

        return new TestCertificates(serverDir, clientDir, wrongDir);
    }

    /// <summary>The client certificate with its private key, for Docker.DotNet through the endpoint.</summary>
    public X509Certificate2 LoadClientCertificate(bool wrong = false)
    {
        var dir = wrong ? WrongClientDir : ClientDir;
        using var pem = X509Certificate2.CreateFromPemFile(Path.Combine(dir, "cert.pem"), Path.Combine(dir, "key.pem"));
        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The CA that signed the server certificate.</summary>
    public X509Certificate2 LoadCa() => X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(ClientDir, "ca.pem")));

    private sealed record Issued(X509Certificate2 Certificate, RSA Key);

    private static Issued CreateAuthority(string name)
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(2));
        return new Issued(cert, key);
    }

    private static Issued Issue(Issued authority, string commonName, bool serverAuth)
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority.Certificate, true, false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var signed = request.Create(authority.Certificate, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), serial);
        return new Issued(X509CertificateLoader.LoadCertificate(signed.RawData), key);
    }

    private static void Write(string dir, string name, string pem) => File.WriteAllText(Path.Combine(dir, name), pem + "\n");
}
