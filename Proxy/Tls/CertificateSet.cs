namespace GradientNode.Proxy.Tls;

/// <summary>
/// The certificates served at one moment, immutable. <see cref="Select"/> picks by the SNI name, the most specific
/// first: a certificate naming the host exactly, then one whose wildcard covers it (<c>*.example.com</c> covers
/// <c>a.example.com</c>, one label, as clients check); for the same name a per-host certificate (<c>--tls-dir</c>)
/// wins over the default one. Without SNI, or when nothing
/// matches, the default certificate is served (the client then reports a name mismatch).
/// </summary>
internal sealed class CertificateSet
{
    private readonly Dictionary<string, ServerCertificate> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ServerCertificate> _wildcards = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="fallback">The wildcard certificate (<c>--tls-cert</c> or the node CA's); may be null when only a folder is given.</param>
    /// <param name="perHost">Certificates from <c>--tls-dir</c>, in file-name order.</param>
    public CertificateSet(ServerCertificate? fallback, IReadOnlyList<ServerCertificate> perHost)
    {
        Fallback = fallback ?? (perHost.Count > 0 ? perHost[0] : null);
        PerHost = perHost;

        // The default first, so that a per-host certificate for the same name replaces it.
        foreach (var certificate in (fallback is null ? [] : new[] { fallback }).Concat(perHost))
        {
            foreach (var name in certificate.DnsNames)
            {
                if (name.StartsWith("*.", StringComparison.Ordinal))
                {
                    _wildcards[name[2..]] = certificate;
                }
                else
                {
                    _exact[name] = certificate;
                }
            }
        }
    }

    public ServerCertificate? Fallback { get; }

    public IReadOnlyList<ServerCertificate> PerHost { get; }

    public bool IsEmpty => Fallback is null;

    /// <summary>
    /// Whether a certificate covers some deployment host <c>NAME.<paramref name="domain"/></c>: a wildcard for
    /// <c>*.domain</c>, or a name exactly one label under it.
    /// </summary>
    public bool CoversHostsUnder(string domain)
    {
        var suffix = "." + domain.TrimEnd('.');
        return _wildcards.ContainsKey(suffix[1..])
            || _exact.Keys.Any(n => n.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && n.IndexOf('.', StringComparison.Ordinal) == n.Length - suffix.Length);
    }

    /// <summary>Whether a certificate names <paramref name="host"/> exactly.</summary>
    public bool HasExact(string host) => _exact.ContainsKey(host.TrimEnd('.'));

    public ServerCertificate? Select(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return Fallback;
        }

        var name = serverName.TrimEnd('.');
        if (_exact.TryGetValue(name, out var exact))
        {
            return exact;
        }

        // A wildcard covers one label: *.example.com matches a.example.com, not a.b.example.com.
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && _wildcards.TryGetValue(name[(dot + 1)..], out var wildcard))
        {
            return wildcard;
        }

        return Fallback;
    }
}
