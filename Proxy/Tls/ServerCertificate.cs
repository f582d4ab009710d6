using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace GradientNode.Proxy.Tls;

/// <summary>
/// One certificate the proxy can serve: the leaf with its private key, the TLS context built once (with the chain
/// that came in the same PEM file), the DNS names it covers and the file it came from.
/// </summary>
internal sealed class ServerCertificate
{
    public ServerCertificate(X509Certificate2 certificate, X509Certificate2Collection chain, string source)
    {
        Certificate = certificate;
        Source = source;
        DnsNames = NamesOf(certificate);
        Context = SslStreamCertificateContext.Create(certificate, chain, offline: true);
    }

    public X509Certificate2 Certificate { get; }

    public SslStreamCertificateContext Context { get; }

    /// <summary>Lower-case DNS names from the subject alternative names (the CN when there are none), wildcards as <c>*.example.com</c>.</summary>
    public IReadOnlyList<string> DnsNames { get; }

    /// <summary>The file (or files) it was read from, or <c>node CA</c>.</summary>
    public string Source { get; }

    public DateTimeOffset NotAfter => Certificate.NotAfter.ToUniversalTime();

    public DateTimeOffset NotBefore => Certificate.NotBefore.ToUniversalTime();

    /// <summary>
    /// Whether the node's own CA is to issue this certificate anew at <paramref name="now"/>: <see cref="NodeCertificateAuthority.RenewBefore"/>
    /// ahead of its expiry, or when it is not valid yet: issued while the clock was ahead (hours, days) and served after it
    /// stepped back, every client on a right clock refused it ("not yet valid") until the node's clock caught up. Issued
    /// anew once: the new one starts 5 minutes before now.
    /// </summary>
    public bool DueAt(DateTimeOffset now) => now >= NodeCertificateAuthority.RenewalDue(this) || now < NotBefore;

    private static string[] NamesOf(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames());
            }
        }

        if (names.Count == 0 && certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false) is { Length: > 0 } cn)
        {
            names.Add(cn);
        }

        return [.. names.Select(n => n.Trim().TrimEnd('.').ToLowerInvariant()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal)];
    }
}
