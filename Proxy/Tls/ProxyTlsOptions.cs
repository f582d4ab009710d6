namespace GradientNode.Proxy.Tls;

/// <summary>
/// Certificates and transport rules for <c>https://</c> listeners (docs/design/endpoints.md). Without
/// <see cref="CertificateFile"/> the node's own CA in <see cref="AuthorityDirectory"/> issues a wildcard certificate for
/// <c>*.&lt;domain&gt;</c>: for every host when no certificate is given, and with <see cref="CertificateDirectory"/> for the
/// hosts no certificate in the folder names (before, those got the folder's first certificate, one for another name).
/// </summary>
public sealed record ProxyTlsOptions
{
    /// <summary>PEM certificate (chain after the leaf allowed) for <c>*.&lt;domain&gt;</c> (<c>--tls-cert</c>).</summary>
    public string? CertificateFile { get; init; }

    /// <summary>PEM private key of <see cref="CertificateFile"/> (<c>--tls-key</c>).</summary>
    public string? KeyFile { get; init; }

    /// <summary>Per-host certificates chosen by SNI (<c>--tls-dir</c>): <c>NAME.crt</c> + <c>NAME.key</c>, or <c>NAME.pem</c> holding both.</summary>
    public string? CertificateDirectory { get; init; }

    /// <summary>Where the node CA lives (<c>&lt;state-dir&gt;/tls</c>); used when no <see cref="CertificateFile"/> is given.</summary>
    public string? AuthorityDirectory { get; init; }

    /// <summary>Plain-HTTP requests get 308 to the same URL on the first https listener (<c>--https-redirect</c>).</summary>
    public bool RedirectHttp { get; init; } = true;

    /// <summary><c>Strict-Transport-Security: max-age=…</c> on https responses when set (<c>--hsts</c>); off by default.</summary>
    public TimeSpan? HstsMaxAge { get; init; }

    /// <summary>How long after the last change event of a watched file the certificates are re-read.</summary>
    public TimeSpan WatchDebounce { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// How long a bad file that a watched change's re-read found is held before it is said (event 6002): the files are read
    /// once more then. Replacing a pair writes two files, and in between the new certificate does not match the old key;
    /// a routine renewal logged an error each time.
    /// </summary>
    public TimeSpan RejectionGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the node CA's certificate is checked for renewal.</summary>
    public TimeSpan RenewalCheckInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Whether the node CA serves the hosts no given certificate names: no <see cref="CertificateFile"/> (the default
    /// certificate) and a CA folder. A folder alone without one (a test's proxy) serves its first certificate by default.
    /// </summary>
    internal bool UsesNodeAuthority => CertificateFile is null && !string.IsNullOrWhiteSpace(AuthorityDirectory);

    internal void Validate(List<string> errors)
    {
        if ((CertificateFile is null) != (KeyFile is null))
        {
            errors.Add(CertificateFile is null ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key");
        }

        if (CertificateFile is null && CertificateDirectory is null && string.IsNullOrWhiteSpace(AuthorityDirectory))
        {
            errors.Add("an https:// listener needs --tls-cert/--tls-key, --tls-dir, or a state dir for the node CA");
        }

        if (HstsMaxAge is { } hsts && hsts <= TimeSpan.Zero)
        {
            errors.Add("HSTS max-age must be positive");
        }

        if (WatchDebounce < TimeSpan.Zero || RejectionGrace < TimeSpan.Zero || RenewalCheckInterval <= TimeSpan.Zero)
        {
            errors.Add("TLS watch debounce, rejection grace and renewal check interval must be positive");
        }
    }
}
