using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace TritonMesos.Endpoint;

/// <summary>
/// The <c>--tls-cert-dir</c>: <c>ca.pem</c> (signs accepted client certificates), <c>server-cert.pem</c> and
/// <c>server-key.pem</c>. Like Triton's 2376 the handshake accepts any client certificate and each request without a
/// valid one gets 401 <c>Unauthorized</c>; the certificate's CN is the account.
/// </summary>
internal sealed class TlsMaterial
{
    public const string CaFile = "ca.pem";
    public const string CertFile = "server-cert.pem";
    public const string KeyFile = "server-key.pem";

    private readonly X509Certificate2 _ca;
    private static readonly TimeSpan ChainCacheTime = TimeSpan.FromMinutes(1);
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private readonly ConcurrentDictionary<string, (DateTime CheckedAt, string? Account)> _accounts = new();

    public X509Certificate2 ServerCertificate { get; }
    public string ServerCertificatePem { get; }

    private TlsMaterial(X509Certificate2 ca, X509Certificate2 server, string serverPem)
    {
        _ca = ca;
        ServerCertificate = server;
        ServerCertificatePem = serverPem;
    }

    public static TlsMaterial Load(string dir)
    {
        foreach (var file in new[] { CaFile, CertFile, KeyFile })
            if (!File.Exists(Path.Combine(dir, file)))
                throw new TritonMesosException($"TLS directory has no {file}", file: Path.Combine(dir, file),
                    nextStep: $"put {CaFile} (client CA), {CertFile} and {KeyFile} (server certificate and key, PEM) in {dir}");
        try
        {
            var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(dir, CaFile)));
            var server = X509Certificate2.CreateFromPemFile(Path.Combine(dir, CertFile), Path.Combine(dir, KeyFile));
            return new TlsMaterial(ca, server, File.ReadAllText(Path.Combine(dir, CertFile)));
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new TritonMesosException("cannot read the TLS certificates: " + e.Message, file: dir,
                nextStep: "check that the files are PEM and the key matches server-cert.pem", inner: e);
        }
    }

    public HttpsConnectionAdapterOptions HttpsOptions() => new()
    {
        ServerCertificate = ServerCertificate,
        ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate,
        ClientCertificateValidation = (_, _, _) => true,
        CheckCertificateRevocation = false,
    };

    /// <summary>
    /// The account (certificate CN) when the client certificate is valid now, allowed for client authentication (no EKU,
    /// or one that lists clientAuth) and chains to <c>ca.pem</c>; null otherwise. The chain result is reused for a minute;
    /// the validity period is checked on every request, so expiry after first use is seen.
    /// </summary>
    public string? Authenticate(X509Certificate2? client)
    {
        if (client is null)
            return null;
        var now = DateTime.Now;
        if (now < client.NotBefore || now > client.NotAfter)
            return null;
        if (_accounts.TryGetValue(client.Thumbprint, out var known) && now - known.CheckedAt < ChainCacheTime)
            return known.Account;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuth);
        var account = chain.Build(client) ? client.GetNameInfo(X509NameType.SimpleName, forIssuer: false) : null;
        _accounts[client.Thumbprint] = (now, account);
        return account;
    }
}
