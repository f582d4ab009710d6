namespace GradientNode.Proxy.Tls;

/// <summary>Stable log event ids of the proxy's TLS (6000–6099). Never reuse or renumber.</summary>
internal static class TlsLogEvents
{
    public const int CertificatesLoaded = 6000;
    public const int CertificatesReloaded = 6001;
    public const int CertificateRejected = 6002;
    public const int NodeCertificateIssued = 6003;
    public const int WatchFailed = 6004;
    public const int OnDemandIssued = 6005;
    public const int OnDemandFailed = 6006;
    public const int CertificateExpired = 6007;
    public const int DomainNotCovered = 6008;
    public const int CertificatesSkipped = 6009;
    public const int CertificatesGoodAgain = 6010;
    public const int OnDemandIssuedNotLogged = 6011;
    public const int NodeAuthorityServesTheRest = 6012;
    public const int CertificateRejectionHeld = 6013;
    public const int NodeCertificateNotWritten = 6014;
}
