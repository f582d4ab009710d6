using GradientNode.Core.Routing;

namespace GradientNode.Proxy.Tls;

/// <summary>The <see cref="TlsNames"/> of a <see cref="CertificateSet"/>: the names of the certificates the operator gave, not the node CA's.</summary>
internal static class CertificateCoverage
{
    /// <param name="nodeAuthority">Whether the set's default certificate is the node CA's (<see cref="ProxyTlsOptions.UsesNodeAuthority"/>).</param>
    public static TlsNames Of(CertificateSet set, bool nodeAuthority)
    {
        ArgumentNullException.ThrowIfNull(set);
        var given = nodeAuthority ? set.PerHost : (set.Fallback is null ? [] : new[] { set.Fallback }).Concat(set.PerHost);
        return new TlsNames([.. given.SelectMany(c => c.DnsNames).Distinct(StringComparer.Ordinal)], nodeAuthority);
    }
}
