using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Tls;

/// <summary>
/// The live <see cref="CertificateSet"/> of the https listeners. Loaded once at start (a bad file fails the start);
/// re-read when a watched file changes (debounced), on <see cref="Reload"/> (SIGHUP) and when the node CA's
/// certificate is due for renewal. A file that fails on a re-read is logged with its name and the certificate
/// it held before keeps serving; after a watched change it is read once more <see cref="ProxyTlsOptions.RejectionGrace"/>
/// later before that is said (<see cref="ReloadAfterChange"/>). Each TLS handshake reads <see cref="Current"/>, so a swap applies to new
/// connections only; open ones keep the certificate they were made with.
/// </summary>
internal sealed partial class CertificateProvider : IDisposable
{
    private readonly ProxyTlsOptions _options;
    private readonly string _domain;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<string, bool> _routed;
    private readonly string? _runDir;
    private readonly Lock _reload = new();
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Lock _watching = new();
    private bool _disposed;
    private ITimer? _debounce;
    private ITimer? _settle;
    private List<string>? _held;
    private ITimer? _renewal;
    private OnDemandCertificates? _onDemand;
    private volatile CertificateSet _current = new(null, []);
    private int _rejections;
    private string? _renewalNotWritten;
    private string? _renewalLine;
    private List<string>? _rejectedNow;
    private string? _rejectedLine;
    private bool _namesStale;
    private volatile bool _rejectedSinceGood;

    /// <param name="routed">
    /// Whether the proxy routes a host (<c>&lt;label&gt;.&lt;domain&gt;</c>): with a single-label domain only those are issued
    /// a certificate at the handshake (<see cref="OnDemandCertificates"/>). None when not given.
    /// </param>
    /// <param name="runDir">Where <see cref="Core.Routing.TlsNamesFile"/> is kept for the daemon's warnings; none when null.</param>
    public CertificateProvider(ProxyTlsOptions options, string domain, TimeProvider time, ILogger<CertificateProvider> logger, Func<string, bool>? routed = null, string? runDir = null)
    {
        _routed = routed ?? (static _ => false);
        _runDir = runDir;
        _options = options;
        _domain = domain;
        _time = time;
        _logger = logger;
    }

    public CertificateSet Current => _current;

    /// <summary>The exact-name certificates of a single-label domain (node CA only); null otherwise.</summary>
    internal OnDemandCertificates? OnDemand => _onDemand;

    /// <summary>
    /// The certificate for a handshake: a loaded one naming the host exactly, else (node CA, single-label domain, a
    /// host the proxy routes) one issued for exactly that name, else <see cref="CertificateSet.Select"/>'s choice.
    /// </summary>
    public ServerCertificate? Select(string? serverName)
    {
        var set = _current;
        if (_onDemand is not null && !string.IsNullOrEmpty(serverName) && !set.HasExact(serverName) && _onDemand.Get(serverName) is { } issued)
        {
            return issued;
        }

        return set.Select(serverName);
    }

    /// <summary>How many times a re-read replaced the set (tests wait on it).</summary>
    public int Generation { get; private set; }

    /// <summary>Loads the certificates or throws <see cref="CertificateLoadException"/> naming the file; then starts watching.</summary>
    public void Start()
    {
        lock (_reload)
        {
            _current = Load(previous: null, strict: true);
            Generation++;
            LogLoaded(_logger, Describe(_current));
            WarnIfDomainUncovered(_current);
            Published(_current);
            foreach (var expired in All(_current).Where(c => c.NotAfter < _time.GetUtcNow()))
            {
                LogExpired(_logger, expired.Source, expired.NotAfter);
            }
        }

        _debounce = _time.CreateTimer(_ => ReloadAfterChange(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _settle = _time.CreateTimer(_ => Reload(ChangedReason), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Watch();
        if (_options.UsesNodeAuthority)
        {
            if (_options.CertificateFile is null && OnDemandCertificates.AppliesTo(_domain))
            {
                _onDemand = new OnDemandCertificates(new NodeCertificateAuthority(_options.AuthorityDirectory!, _time), _domain, _time, _logger, _routed);
            }

            _renewal = _time.CreateTimer(_ => Reload("renewal check"), null, _options.RenewalCheckInterval, _options.RenewalCheckInterval);
        }
    }

    public void Dispose()
    {
        lock (_watching)
        {
            _disposed = true;
            foreach (var watcher in _watchers)
            {
                watcher.Dispose();
            }

            _watchers.Clear();
        }

        _debounce?.Dispose();
        _settle?.Dispose();
        _renewal?.Dispose();
        _onDemand?.Dispose();
        if (_runDir is not null)
        {
            Core.Routing.TlsNamesFile.Delete(_runDir);
        }
    }

    private CertificateSet Load(CertificateSet? previous, bool strict)
    {
        // The folder first: a --tls-dir that is no usable folder (/dev/null, a file, one that cannot be read) stops the
        // start before the node's CA writes its files into the state directory.
        var perHost = _options.CertificateDirectory is { } dir ? CertificateDirectoryReader.Read(dir, previous?.PerHost ?? [], strict, error => Rejected(error), RejectExpiredAt(strict),
            count => LogSkipped(_logger, dir, CertificateDirectoryReader.MaxCertificates, count)) : [];
        ServerCertificate? fallback = null;
        if (_options.CertificateFile is { } cert && _options.KeyFile is { } key)
        {
            fallback = Keep(() => PemCertificateLoader.Load(cert, key, RejectExpiredAt(strict)), previous?.Fallback, strict);
        }
        else if (_options.UsesNodeAuthority)
        {
            var authority = new NodeCertificateAuthority(_options.AuthorityDirectory!, _time);
            fallback = authority.EnsureLeaf(_domain, out var issued, out var notWritten);
            if (issued)
            {
                LogIssued(_logger, _domain, fallback.NotAfter, authority.CertificatePath);
            }

            RenewalNotWritten(notWritten, fallback);
        }

        if (fallback is null && perHost.Count == 0)
        {
            throw new CertificateLoadException(_options.CertificateDirectory ?? "TLS", "no certificate to serve (expected NAME.crt + NAME.key or NAME.pem files)");
        }

        return new CertificateSet(fallback, perHost);
    }

    /// <summary>
    /// The node CA's renewal could not be written (the state directory full or read-only): said once per error (warning
    /// 6014, naming the file and the errno), not at each hourly check; the certificate on disk keeps serving and every
    /// check tries again, so the renewal happens by itself once the disk takes it (event 6003 then).
    /// </summary>
    private void RenewalNotWritten(string? error, ServerCertificate serving)
    {
        if (error is not null && !string.Equals(error, _renewalNotWritten, StringComparison.Ordinal))
        {
            LogRenewalNotWritten(_logger, error, serving.NotAfter, _options.RenewalCheckInterval);
        }

        var line = error is null ? null : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"https: the node CA's renewed certificate cannot be written ({error}); the current one, valid until {serving.NotAfter.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z, keeps serving, and the renewal is tried again at each check");
        _namesStale |= !string.Equals(line, _renewalLine, StringComparison.Ordinal);
        _renewalNotWritten = error;
        _renewalLine = line;
    }

    /// <summary>
    /// On a re-read, an expired certificate is refused like a bad file, so that the one it would replace keeps serving;
    /// at start it is served (there is nothing else) and <see cref="Start"/> warns.
    /// </summary>
    private DateTimeOffset? RejectExpiredAt(bool strict) => strict ? null : _time.GetUtcNow();

    private ServerCertificate? Keep(Func<ServerCertificate> load, ServerCertificate? previous, bool strict)
    {
        try
        {
            return load();
        }
        catch (CertificateLoadException ex) when (!strict && previous is not null)
        {
            Rejected(ex.Message);
            return previous;
        }
    }

    /// <summary>Certificates the operator gave that name no host under the domain: every client would get a name mismatch.</summary>
    private void WarnIfDomainUncovered(CertificateSet set)
    {
        if (!set.CoversHostsUnder(_domain))
        {
            LogDomainNotCovered(_logger, _domain, string.Join(",", All(set).SelectMany(c => c.DnsNames).Distinct(StringComparer.Ordinal)));
        }
    }

    /// <summary>
    /// After a load that changed the set: with a folder and the node CA, says which hosts the CA serves (event 6012), and
    /// writes <see cref="Core.Routing.TlsNamesFile"/> for the daemon's warnings on the hosts no given certificate names.
    /// </summary>
    private void Published(CertificateSet set)
    {
        _namesStale = false;
        var names = Names(set);
        if (_options.UsesNodeAuthority && _options.CertificateDirectory is { } folder && !names.Given.Any(n => n == "*." + _domain.TrimEnd('.').ToLowerInvariant()))
        {
            LogNodeAuthorityServesTheRest(_logger, _domain, folder, names.Given.Count == 0 ? "it holds no certificate yet" : "it names " + string.Join(",", names.Given));
        }

        WriteNames(names);
    }

    /// <summary>Writes <see cref="Core.Routing.TlsNamesFile"/> (when the proxy has a run dir) for the daemon's warnings.</summary>
    private void WriteNames(Core.Routing.TlsNames names)
    {
        if (_runDir is null)
        {
            return;
        }

        try
        {
            Core.Routing.TlsNamesFile.Write(_runDir, names);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogWatchFailed(_logger, _runDir, ex.Message);
        }
    }

    private static bool SameCertificates(CertificateSet a, CertificateSet b) =>
        Thumbprints(a).SequenceEqual(Thumbprints(b), StringComparer.Ordinal);

    private static IEnumerable<string> Thumbprints(CertificateSet set) => All(set).Select(c => c.Certificate.Thumbprint);

    private static IEnumerable<ServerCertificate> All(CertificateSet set) =>
        (set.Fallback is null ? [] : new[] { set.Fallback }).Concat(set.PerHost);

    private static string Describe(CertificateSet set) =>
        string.Join("; ", All(set).Distinct()
            .Select(c => $"{string.Join(",", c.DnsNames)} until {c.NotAfter:yyyy-MM-dd} from {c.Source}"));
}
