using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace GradientNode.Tests.Proxy.Tls;

/// <summary>A test CA that issues PEM certificate/key files, and an HttpClient validation callback that trusts only it.</summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string name = "Test CA")
    {
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public X509Certificate2 Authority { get; }

    /// <summary>Writes <c>dir/name.crt</c> and <c>dir/name.key</c> for <paramref name="dnsNames"/>; returns both paths.</summary>
    public (string Cert, string Key) Write(string directory, string name, params string[] dnsNames)
    {
        var (cert, key) = Issue(dnsNames);
        var certPath = Path.Combine(directory, name + ".crt");
        var keyPath = Path.Combine(directory, name + ".key");
        File.WriteAllText(keyPath, key);
        File.WriteAllText(certPath, cert);
        return (certPath, keyPath);
    }

    /// <summary>PEM certificate and PKCS#8 key for the names, CN = the first name.</summary>
    public (string Cert, string Key) Issue(params string[] dnsNames) =>
        Issue(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), dnsNames);

    /// <summary>Like <see cref="Issue(string[])"/>, but the certificate expired an hour ago.</summary>
    public (string Cert, string Key) IssueExpired(params string[] dnsNames) =>
        Issue(DateTimeOffset.UtcNow.AddHours(-20), DateTimeOffset.UtcNow.AddHours(-1), dnsNames);

    private (string Cert, string Key) Issue(DateTimeOffset notBefore, DateTimeOffset notAfter, string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames[0]}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = request.Create(Authority, notBefore, notAfter, RandomNumberGenerator.GetBytes(12));
        return (leaf.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Validates a server certificate against <paramref name="authority"/> only (and the host name); records the leaf's subject.</summary>
    public static RemoteCertificateValidationCallback TrustOnly(X509Certificate2 authority, Action<X509Certificate2>? seen = null) =>
        (_, certificate, _, errors) =>
        {
            if (certificate is null)
            {
                return false;
            }

            var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            seen?.Invoke(leaf);
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(leaf);
        };

    public static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    public void Dispose()
    {
        Authority.Dispose();
        _caKey.Dispose();
    }
}
