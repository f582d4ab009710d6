using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GradientNode.Core.Common;

namespace GradientNode.Proxy.Tls;

/// <summary>
/// The node's own certificate authority, used when an https listener has no certificate given: <c>ca.crt</c> and
/// <c>ca.key</c> (0600; never sent anywhere, never printed) in <c>&lt;state-dir&gt;/tls</c>, and the wildcard
/// certificate it issues for <c>*.&lt;domain&gt;</c> and <c>&lt;domain&gt;</c> (<c>node.crt</c>, <c>node.key</c> 0600),
/// reissued when it is due for renewal or was issued for another domain. ECDSA P-256 throughout.
/// </summary>
public sealed class NodeCertificateAuthority
{
    public const string CertificateFileName = "ca.crt";
    public const string KeyFileName = "ca.key";
    public const string LeafCertificateFileName = "node.crt";
    public const string LeafKeyFileName = "node.key";

    /// <summary>How long the CA certificate is valid (clients trust it once).</summary>
    public static readonly TimeSpan AuthorityLifetime = TimeSpan.FromDays(3650);

    /// <summary>How long an issued certificate is valid (clients reject leaves valid for more than 398 days).</summary>
    public static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(90);

    /// <summary>An issued certificate is replaced once less than this is left.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private const UnixFileMode PublicRead = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly TimeProvider _time;

    public NodeCertificateAuthority(string directory, TimeProvider time)
    {
        Directory = Path.GetFullPath(directory);
        _time = time;
    }

    /// <summary><c>&lt;state-dir&gt;/tls</c>.</summary>
    public string Directory { get; }

    public string CertificatePath => Path.Combine(Directory, CertificateFileName);

    /// <summary>The folder of the node CA under a state dir.</summary>
    public static string DirectoryUnder(string stateDir) => Path.Combine(stateDir, "tls");

    /// <summary>The CA certificate in PEM, or null when this node has not created its CA yet.</summary>
    public static string? ReadCertificatePem(string stateDir)
    {
        var path = Path.Combine(DirectoryUnder(stateDir), CertificateFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        // Earlier versions wrote ca.crt without a final newline: printed as is, the next certificate appended to a
        // bundle (cat a.crt b.crt) would start on the END line, and OpenSSL then reads none of the two.
        var pem = File.ReadAllText(path);
        return pem.EndsWith('\n') ? pem : pem + "\n";
    }

    /// <summary>
    /// The certificate to serve for <paramref name="domain"/>: the one on disk while it is valid for more than
    /// <see cref="RenewBefore"/> and names the domain, else a new one (the CA is created first when missing).
    /// <paramref name="issued"/> says whether a new one was written.
    /// </summary>
    internal ServerCertificate EnsureLeaf(string domain, out bool issued) => EnsureLeaf(domain, out issued, out _);

    /// <summary>
    /// As <see cref="EnsureLeaf(string, out bool)"/>; when the new certificate cannot be written (the state directory full
    /// or read-only) and the one on disk has not expired, that one is returned and <paramref name="notWritten"/> says why
    /// (the file and the errno): it keeps serving, and the next check tries again. The key and the certificate are
    /// written together (<see cref="AtomicFile.WriteTogether"/>), so a failure leaves the old pair whole. Without a
    /// certificate that can serve, the failure is thrown. The CA itself, when due, is kept the same way (its reason is
    /// given when nothing else failed).
    /// </summary>
    internal ServerCertificate EnsureLeaf(string domain, out bool issued, out string? notWritten)
    {
        notWritten = null;
        System.IO.Directory.CreateDirectory(Directory);
        var folderMode = PublicRead | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (File.GetUnixFileMode(Directory) != folderMode)
        {
            // Only when it differs: a chmod on a read-only state directory fails even when nothing changes, and each
            // hourly check then failed although no certificate was due.
            File.SetUnixFileMode(Directory, folderMode);
        }

        using var ca = EnsureAuthority(out var authorityNotWritten);
        notWritten = authorityNotWritten;
        var leafPath = Path.Combine(Directory, LeafCertificateFileName);
        var keyPath = Path.Combine(Directory, LeafKeyFileName);
        ServerCertificate? current = null;
        if (File.Exists(leafPath) && File.Exists(keyPath))
        {
            try
            {
                current = PemCertificateLoader.Load(leafPath, keyPath);
                if (!NeedsRenewal(current, domain, ca))
                {
                    issued = false;
                    return current;
                }
            }
            catch (CertificateLoadException)
            {
                // Unreadable: issue a new one below.
            }
        }

        try
        {
            Issue(ca, domain, leafPath, keyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && current is not null && _time.GetUtcNow() < current.NotAfter)
        {
            notWritten = StateWriteProblems.Reason(ex);
            issued = false;
            return current;
        }

        issued = true;
        return PemCertificateLoader.Load(leafPath, keyPath);
    }

    /// <summary>When the served certificate is due: <see cref="RenewBefore"/> ahead of its expiry.</summary>
    internal static DateTimeOffset RenewalDue(ServerCertificate certificate) => certificate.NotAfter - RenewBefore;

    private bool NeedsRenewal(ServerCertificate current, string domain, X509Certificate2 ca) =>
        current.DueAt(_time.GetUtcNow())
        || !current.DnsNames.Contains("*." + domain.ToLowerInvariant(), StringComparer.Ordinal)
        || !string.Equals(current.Certificate.Issuer, ca.Subject, StringComparison.Ordinal)
        || !IssuedBy(current.Certificate, ca);

    /// <summary>
    /// Whether <paramref name="leaf"/> names <paramref name="ca"/>'s key as its issuer's (authority key identifier against
    /// subject key identifier). A renewed CA keeps the old one's subject, so the names alone matched a leaf of the old CA,
    /// which was then served until it was itself due, to clients that trust only the new CA (faults15). A leaf without
    /// the identifier (none is issued so) is issued anew.
    /// </summary>
    private static bool IssuedBy(X509Certificate2 leaf, X509Certificate2 ca)
    {
        var authority = leaf.Extensions.FirstOrDefault(e => e.Oid?.Value == "2.5.29.35") is { } a
            ? (a as X509AuthorityKeyIdentifierExtension ?? new X509AuthorityKeyIdentifierExtension(a.RawData, a.Critical)).KeyIdentifier
            : null;
        var subject = ca.Extensions.FirstOrDefault(e => e.Oid?.Value == "2.5.29.14") is { } k
            ? (k as X509SubjectKeyIdentifierExtension ?? new X509SubjectKeyIdentifierExtension(k.RawData, k.Critical)).SubjectKeyIdentifierBytes
            : (ReadOnlyMemory<byte>?)null;
        return authority is { } key && subject is { } id && key.Span.SequenceEqual(id.Span);
    }

    /// <summary>
    /// The CA, made anew when missing or due (<see cref="LeafLifetime"/> before its end, so that a leaf issued then runs
    /// its whole life). When the new one cannot be written (the state directory full or read-only) and the one on disk has
    /// not expired, that one is returned and <paramref name="notWritten"/> says why, as for a leaf: it keeps issuing, and
    /// the next check tries again (faults15: before, the failure was thrown and the https listener had no certificate).
    /// </summary>
    private X509Certificate2 EnsureAuthority(out string? notWritten)
    {
        notWritten = null;
        var certPath = CertificatePath;
        var keyPath = Path.Combine(Directory, KeyFileName);
        X509Certificate2? loaded = null;
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            loaded = PemCertificateLoader.Load(certPath, keyPath).Certificate;
            if (_time.GetUtcNow() < loaded.NotAfter.ToUniversalTime() - LeafLifetime)
            {
                return loaded;
            }
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = _time.GetUtcNow();
        var request = new CertificateRequest($"CN=Gradient Node CA ({Environment.MachineName}), O=Gradient Node", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var ca = request.CreateSelfSigned(now.AddMinutes(-5), now + AuthorityLifetime);

        try
        {
            // Both written before either replaces its file (a full disk leaves the old pair whole); a crash between the two
            // renames leaves a key without its certificate, replaced next time.
            AtomicFile.WriteTogether([
                (keyPath, System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem() + "\n"), AtomicFile.OwnerOnly),
                (certPath, System.Text.Encoding.ASCII.GetBytes(ca.ExportCertificatePem() + "\n"), PublicRead)]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && loaded is not null && now < loaded.NotAfter.ToUniversalTime())
        {
            ca.Dispose();
            notWritten = StateWriteProblems.Reason(ex);
            return loaded;
        }
        catch
        {
            ca.Dispose();
            loaded?.Dispose();
            throw;
        }

        loaded?.Dispose();
        return ca;
    }

    /// <summary>The CA certificate with its key (created when missing); the caller disposes it.</summary>
    internal X509Certificate2 LoadAuthority()
    {
        System.IO.Directory.CreateDirectory(Directory);
        return EnsureAuthority(out _);
    }

    /// <summary>
    /// A certificate for exactly <paramref name="host"/>, kept in memory only (never written): for single-label
    /// domains such as <c>localhost</c>, whose wildcard TLS clients refuse (docs/design/endpoints.md).
    /// </summary>
    internal ServerCertificate IssueForHost(X509Certificate2 ca, string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = CreateLeaf(ca, key, host, [host]);
        var withKey = leaf.CopyWithPrivateKey(key);
        return new ServerCertificate(withKey, [X509CertificateLoader.LoadCertificate(ca.RawData)], "node CA (on demand)");
    }

    private void Issue(X509Certificate2 ca, string domain, string leafPath, string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = CreateLeaf(ca, key, "*." + domain, ["*." + domain, domain]);

        // The leaf followed by the CA: clients that trust the CA get the whole chain. Both files are written before either
        // replaces its file: before, the key was replaced first, and a write of the certificate that failed after it (no
        // room left, a quota, an I/O error) would leave a new key beside the old certificate, a pair that does not match.
        AtomicFile.WriteTogether([
            (keyPath, System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem() + "\n"), AtomicFile.OwnerOnly),
            (leafPath, System.Text.Encoding.ASCII.GetBytes(leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n"), PublicRead)]);
    }

    private X509Certificate2 CreateLeaf(X509Certificate2 ca, ECDsa key, string commonName, string[] dnsNames)
    {
        var now = _time.GetUtcNow();
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            names.AddDnsName(name);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var notAfter = now + LeafLifetime;
        if (notAfter > ca.NotAfter.ToUniversalTime())
        {
            notAfter = ca.NotAfter.ToUniversalTime();
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        return request.Create(ca, now.AddMinutes(-5), notAfter, serial);
    }
}
