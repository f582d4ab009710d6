using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Tls;

/// <summary>The source-generated log methods of <see cref="CertificateProvider"/> (event ids in <see cref="TlsLogEvents"/>).</summary>
internal sealed partial class CertificateProvider
{
    [LoggerMessage(EventId = TlsLogEvents.CertificatesLoaded, Level = LogLevel.Information, Message = "TLS certificates: {Certificates}")]
    private static partial void LogLoaded(ILogger logger, string certificates);

    [LoggerMessage(EventId = TlsLogEvents.CertificatesReloaded, Level = LogLevel.Information, Message = "TLS certificates re-read ({Reason}); new connections get: {Certificates}")]
    private static partial void LogReloaded(ILogger logger, string reason, string certificates);

    [LoggerMessage(EventId = TlsLogEvents.CertificatesGoodAgain, Level = LogLevel.Information, Message = "TLS certificate files are good again; the certificates that kept serving serve on: {Certificates}")]
    private static partial void LogGoodAgain(ILogger logger, string certificates);

    [LoggerMessage(EventId = TlsLogEvents.CertificateRejected, Level = LogLevel.Error, Message = "TLS certificate rejected, the previous one keeps serving: {Error}")]
    private static partial void LogRejected(ILogger logger, string error);

    [LoggerMessage(EventId = TlsLogEvents.CertificateRejectionHeld, Level = LogLevel.Debug, Message = "TLS certificate files changed and {Count} are not good yet (a pair half replaced?); they are read again in {Grace} before the rejection is said: {Errors}")]
    private static partial void LogRejectionHeld(ILogger logger, int count, TimeSpan grace, string errors);

    [LoggerMessage(EventId = TlsLogEvents.CertificateExpired, Level = LogLevel.Warning, Message = "TLS certificate from {Source} expired on {NotAfter:u}; clients refuse it until it is replaced")]
    private static partial void LogExpired(ILogger logger, string source, DateTimeOffset notAfter);

    [LoggerMessage(EventId = TlsLogEvents.DomainNotCovered, Level = LogLevel.Warning, Message = "No TLS certificate covers the deployments' hosts under {Domain} (the certificates name {Names}): https clients of NAME.{Domain} get a name mismatch; serve a certificate for *.{Domain}, or set --domain to what the certificate names")]
    private static partial void LogDomainNotCovered(ILogger logger, string domain, string names);

    [LoggerMessage(EventId = TlsLogEvents.NodeAuthorityServesTheRest, Level = LogLevel.Warning, Message = "Hosts under {Domain} that no certificate in {Folder} names ({Names}) are served a certificate from the node's own CA, which their clients must trust (gradient-node tls ca); gradient-node node and get name the deployments concerned")]
    private static partial void LogNodeAuthorityServesTheRest(ILogger logger, string domain, string folder, string names);

    [LoggerMessage(EventId = TlsLogEvents.CertificatesSkipped, Level = LogLevel.Warning, Message = "{Folder} holds more certificate files than the {Max} that are read: the last {Count} in name order are not served")]
    private static partial void LogSkipped(ILogger logger, string folder, int max, int count);

    [LoggerMessage(EventId = TlsLogEvents.NodeCertificateIssued, Level = LogLevel.Information, Message = "Node CA issued a certificate for *.{Domain} valid until {NotAfter:u}; clients trust {CaPath} (gradient-node tls ca)")]
    private static partial void LogIssued(ILogger logger, string domain, DateTimeOffset notAfter, string caPath);

    [LoggerMessage(EventId = TlsLogEvents.WatchFailed, Level = LogLevel.Warning, Message = "Cannot watch {Folder} for certificate changes ({Error}); systemctl reload still re-reads them")]
    private static partial void LogWatchFailed(ILogger logger, string folder, string error);

    [LoggerMessage(EventId = TlsLogEvents.NodeCertificateNotWritten, Level = LogLevel.Warning, Message = "Node CA could not write its renewed certificate ({Error}); the current one, valid until {NotAfter:u}, keeps serving, and the renewal is tried again at each check (every {Interval}); logged once")]
    private static partial void LogRenewalNotWritten(ILogger logger, string error, DateTimeOffset notAfter, TimeSpan interval);
}
