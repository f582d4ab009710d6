using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GradientNode.Proxy.Routing;
using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Tls;

/// <summary>
/// Exact-name certificates from the node CA, issued at the TLS handshake for a single-label domain such as
/// <c>localhost</c>: TLS clients refuse <c>*.localhost</c> (a wildcard needs two labels below it), so the node's
/// wildcard cannot serve <c>&lt;slug&gt;.localhost</c>. Only SNI names <c>&lt;label&gt;.&lt;domain&gt;</c> with a
/// valid DNS label that the proxy routes (a deployment's host in the route table it serves, enabled or not) get one;
/// any other name gets the default certificate and no key is made. Before, every valid label was issued, so a client
/// cycling through names made the node sign a key per handshake and, past <see cref="MaxHosts"/>, emptied the cache
/// that real clients' certificates were in. Each is kept in memory (never written) and reissued when due for renewal.
/// At most <see cref="MaxHosts"/> are kept (about 12 KB each): when full, those of hosts no longer routed are dropped, and if
/// that frees none the least recently served one, so memory stays bounded and a node with more deployments than the old
/// 256 no longer issues a certificate at every handshake of a client cycling through their names. At most <see cref="LoggedPerMinute"/> issuances a minute are
/// logged one by one; the rest are counted and said in one line with the next issuance after the minute.
/// </summary>
internal sealed partial class OnDemandCertificates : IDisposable
{
    /// <summary>
    /// The most certificates kept at once: about 12 MB at most. Before, 256, emptied when full: with more routed hosts than
    /// that, a client cycling through their names made the node issue a certificate at every handshake (docs/benchmarks.md).
    /// </summary>
    public const int MaxHosts = 1024;

    /// <summary>The most issuances logged one by one in a minute.</summary>
    public const int LoggedPerMinute = 10;

    private readonly NodeCertificateAuthority _authority;
    private readonly string _domain;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<string, bool> _routed;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (ServerCertificate Certificate, long LastServed)> _byHost = new(StringComparer.Ordinal);
    private long _served;
    private X509Certificate2? _ca;
    private DateTimeOffset _logWindowStart = DateTimeOffset.MinValue;
    private int _loggedInWindow;
    private int _notLogged;

    /// <param name="routed">Whether the proxy routes a host (<c>&lt;label&gt;.&lt;domain&gt;</c>, lower case): only those are issued.</param>
    public OnDemandCertificates(NodeCertificateAuthority authority, string domain, TimeProvider time, ILogger logger, Func<string, bool> routed)
    {
        _routed = routed;
        _authority = authority;
        _domain = domain;
        _time = time;
        _logger = logger;
    }

    /// <summary>How many certificates are kept now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byHost.Count;
            }
        }
    }

    /// <summary>Whether a domain needs exact names: it has a single label (<c>localhost</c>).</summary>
    public static bool AppliesTo(string domain) => !domain.TrimEnd('.').Contains('.', StringComparison.Ordinal);

    /// <summary>
    /// The certificate for <paramref name="serverName"/>, or null when it is not <c>&lt;label&gt;.&lt;domain&gt;</c>, the
    /// proxy routes no deployment there, or issuing failed.
    /// </summary>
    public ServerCertificate? Get(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return null;
        }

        var host = serverName.TrimEnd('.').ToLowerInvariant();
        if (host.Contains(':', StringComparison.Ordinal) || !RouteSnapshot.TryGetLabel(host, _domain, out var label) || !DnsLabel.IsValid(label) || !_routed(host))
        {
            return null;
        }

        lock (_lock)
        {
            ref var kept = ref CollectionsMarshal.GetValueRefOrNullRef(_byHost, host);
            if (!Unsafe.IsNullRef(ref kept) && !kept.Certificate.DueAt(_time.GetUtcNow()))
            {
                kept.LastServed = ++_served;
                return kept.Certificate;
            }

            try
            {
                if (_ca is null || _time.GetUtcNow() >= _ca.NotAfter.ToUniversalTime() - NodeCertificateAuthority.LeafLifetime)
                {
                    _ca?.Dispose();
                    _ca = _authority.LoadAuthority();
                }

                if (_byHost.Count >= MaxHosts)
                {
                    MakeRoom();
                }

                var issued = _authority.IssueForHost(_ca, host);
                _byHost[host] = (issued, ++_served);
                LogIssuedBounded(host, issued.NotAfter);
                return issued;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or CertificateLoadException)
            {
                LogFailed(_logger, host, ex.Message);
                return null;
            }
        }
    }

    /// <summary>Logs an issuance, or counts it when <see cref="LoggedPerMinute"/> were logged this minute. Under <see cref="_lock"/>.</summary>
    private void LogIssuedBounded(string host, DateTimeOffset notAfter)
    {
        var now = _time.GetUtcNow();
        if (now - _logWindowStart >= TimeSpan.FromMinutes(1))
        {
            if (_notLogged > 0)
            {
                LogIssuedNotLogged(_logger, _notLogged, _logWindowStart);
            }

            _logWindowStart = now;
            _loggedInWindow = 0;
            _notLogged = 0;
        }

        if (_loggedInWindow < LoggedPerMinute)
        {
            _loggedInWindow++;
            LogIssued(_logger, host, notAfter);
        }
        else
        {
            _notLogged++;
        }
    }

    /// <summary>
    /// Drops the certificates of hosts the proxy no longer routes; when every kept one is still routed, the one served
    /// longest ago (a scan, only when the cache is full). Under <see cref="_lock"/>.
    /// </summary>
    private void MakeRoom()
    {
        foreach (var host in _byHost.Keys.Where(h => !_routed(h)).ToList())
        {
            _byHost.Remove(host);
        }

        if (_byHost.Count >= MaxHosts)
        {
            _byHost.Remove(_byHost.MinBy(e => e.Value.LastServed).Key);
        }
    }

    /// <summary>Forgets every certificate and the CA (after a re-read: the CA may have been replaced).</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _byHost.Clear();
            _ca?.Dispose();
            _ca = null;
        }
    }

    public void Dispose() => Reset();

    [LoggerMessage(EventId = TlsLogEvents.OnDemandIssued, Level = LogLevel.Information, Message = "Node CA issued a certificate for {Host} valid until {NotAfter:u} (single-label domain: exact names)")]
    private static partial void LogIssued(ILogger logger, string host, DateTimeOffset notAfter);

    [LoggerMessage(EventId = TlsLogEvents.OnDemandIssuedNotLogged, Level = LogLevel.Warning, Message = "Node CA issued {Count} more certificates for names clients sent since {Since:u}, not logged one by one (at most 10 a minute are; many names in a short time are a client cycling through them)")]
    private static partial void LogIssuedNotLogged(ILogger logger, int count, DateTimeOffset since);

    [LoggerMessage(EventId = TlsLogEvents.OnDemandFailed, Level = LogLevel.Error, Message = "Node CA could not issue a certificate for {Host}; the default one is served: {Error}")]
    private static partial void LogFailed(ILogger logger, string host, string error);
}
