using GradientNode.Core.Routing;
using GradientNode.Proxy.Metrics;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace GradientNode.Proxy.Routing;

/// <summary>
/// The proxy's route source: follows <c>&lt;run-dir&gt;/routes.json</c> (a file system watcher plus a poll, cheap:
/// re-reads only when size or mtime changed) and compiles each table whose routed content changed into one
/// <see cref="RouteSnapshot"/>. That snapshot is YARP's config (<see cref="IProxyConfigProvider"/>); once YARP
/// reports it applied (<see cref="IConfigChangeListener"/>) it gets YARP's endpoints and becomes
/// <see cref="Current"/>, what the gateway serves. A corrupt or vanished file keeps the last good routes, so a
/// daemon restart never empties the proxy. Whenever what it serves changes it answers the daemon with the version it
/// serves (<see cref="AppliedRoutesFile"/>, removed when it stops), so that a deployment is said to be routed only once
/// the proxy serves its replicas.
/// </summary>
internal sealed partial class FileRouteSource : IProxyConfigProvider, IConfigChangeListener, IDisposable
{
    private readonly RouteTableStore _store;
    private readonly ProxyOptions _options;
    private readonly ProxyMetrics _metrics;
    private readonly ILogger<FileRouteSource> _logger;
    private readonly Lock _gate = new();
    private readonly Lock _publishGate = new();
    private FileSystemWatcher? _watcher;
    private ITimer? _timer;
    private (long Length, DateTime WriteTime)? _lastSeen;
    private RouteTableReadStatus _lastStatus = RouteTableReadStatus.Ok;
    private volatile RouteSnapshot _latest;
    private volatile RouteSnapshot _current;
    private volatile EndpointDataSource? _endpoints;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;

    /// <summary>The newest version read whose routes are <see cref="_latest"/>'s (a restarted daemon writes the same routes anew).</summary>
    private long _latestSameAs;
    private bool _answerFailing;

    public FileRouteSource(ProxyOptions options, ProxyMetrics metrics, ILogger<FileRouteSource> logger)
    {
        _store = new RouteTableStore(options.RunDir);
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _latest = RouteSnapshot.Create(RouteTable.Empty, options, metrics);
        Reload(force: true);
        _current = _latest;
    }

    /// <summary>The snapshot of the newest routed content read: what YARP applies next (or has applied).</summary>
    public RouteSnapshot Latest => _latest;

    /// <summary>The snapshot the gateway serves: the latest one YARP has applied, its routes holding YARP's endpoints.</summary>
    public RouteSnapshot Current => _current;

    /// <summary>Completes when the next snapshot becomes <see cref="Current"/>. Read it before re-checking <see cref="Current"/>.</summary>
    public Task Changed
    {
        get
        {
            lock (_publishGate)
            {
                return _changed.Task;
            }
        }
    }

    /// <inheritdoc/>
    public IProxyConfig GetConfig() => _latest;

    /// <summary>YARP's endpoint data source, known once <c>MapReverseProxy</c> ran: attaches its endpoints to <see cref="Current"/>.</summary>
    public void Connect(EndpointDataSource endpoints)
    {
        _endpoints = endpoints;
        _current.AttachEndpoints(endpoints.Endpoints);
    }

    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Directory.CreateDirectory(_store.Directory);
            try
            {
                _watcher = new FileSystemWatcher(_store.Directory, RouteTable.FileName)
                {
                    NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                    IncludeSubdirectories = false,
                };
                _watcher.Changed += OnFileEvent;
                _watcher.Created += OnFileEvent;
                _watcher.Renamed += OnFileEvent;
                _watcher.Deleted += OnFileEvent;
                _watcher.Error += OnWatcherError;
                _watcher.EnableRaisingEvents = true;
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
            {
                LogWatcherFailed(_logger, _store.Directory, ex);
            }

            _timer = _options.TimeProvider.CreateTimer(
                static s => ((FileRouteSource)s!).Reload(force: false), this, _options.RoutePollInterval, _options.RoutePollInterval);
        }

        Reload(force: true);
    }

    /// <summary>Reads the file now (also what the watcher and the poll do). <paramref name="force"/> skips the stat check.</summary>
    public void Reload(bool force)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var seen = Stat();
            if (!force && seen == _lastSeen)
            {
                return;
            }

            _lastSeen = seen;
            var result = _store.Read();
            var previousStatus = _lastStatus;
            _lastStatus = result.Status;
            switch (result.Status)
            {
                case RouteTableReadStatus.Missing:
                    if (previousStatus != RouteTableReadStatus.Missing)
                    {
                        LogFileMissing(_logger, _store.FilePath, _latest.Table.Version);
                    }

                    return;
                case RouteTableReadStatus.Corrupt:
                    // The next poll retries only when the file changes again.
                    LogFileCorrupt(_logger, result.Error ?? "unknown error", _latest.Table.Version);
                    return;
            }

            // A table that differs only in its version (a restarted daemon counts again) changes nothing but the answer.
            var previous = _latest;
            if (RouteTableComparer.SameRoutes(result.Table, previous.Table))
            {
                _latestSameAs = Math.Max(_latestSameAs, result.Table.Version);
                if (ReferenceEquals(_current, previous))
                {
                    Answer(_latestSameAs);
                }

                return;
            }

            _latest = RouteSnapshot.Create(result.Table, _options, _metrics);
            _latestSameAs = result.Table.Version;
            previous.Supersede(); // under the lock, so YARP sees the snapshots in order
        }
    }

    public void ConfigurationApplied(IReadOnlyList<IProxyConfig> proxyConfigs) => Publish(proxyConfigs);

    public void ConfigurationApplyingFailed(IReadOnlyList<IProxyConfig> proxyConfigs, Exception exception)
    {
        LogApplyFailed(_logger, exception);
        Publish(proxyConfigs);
    }

    public void ConfigurationLoaded(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
    }

    public void ConfigurationLoadingFailed(IProxyConfigProvider configProvider, Exception exception) => LogApplyFailed(_logger, exception);

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _watcher?.Dispose();
            _timer?.Dispose();
            AppliedRoutesFile.Delete(_options.RunDir);
        }
    }

    /// <summary>
    /// Makes an applied snapshot <see cref="Current"/>, with YARP's endpoints attached first, and releases the
    /// requests waiting for a change: a released request always finds its endpoint and destinations in place.
    /// </summary>
    private void Publish(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
        foreach (var config in proxyConfigs)
        {
            if (config is not RouteSnapshot snapshot)
            {
                continue;
            }

            _metrics.Retain(snapshot.Table);
            if (_endpoints is { } endpoints)
            {
                snapshot.AttachEndpoints(endpoints.Endpoints);
            }

            TaskCompletionSource previous;
            lock (_publishGate)
            {
                _current = snapshot;
                previous = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            previous.TrySetResult();
            lock (_gate)
            {
                if (!_disposed)
                {
                    Answer(ReferenceEquals(snapshot, _latest) ? Math.Max(snapshot.Table.Version, _latestSameAs) : snapshot.Table.Version);
                }
            }

            var replicas = 0;
            foreach (var cluster in snapshot.Clusters)
            {
                replicas += cluster.Destinations?.Count ?? 0;
            }

            LogApplied(_logger, snapshot.Table.Version, snapshot.Count, replicas);
        }
    }

    /// <summary>Tells the daemon which table the proxy serves now; called with <see cref="_gate"/> held.</summary>
    private void Answer(long version)
    {
        try
        {
            Directory.CreateDirectory(_options.RunDir);
            AppliedRoutesFile.Write(_options.RunDir, version);
            _answerFailing = false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A stale answer would hold every rollout's --wait: none is better.
            AppliedRoutesFile.Delete(_options.RunDir);
            if (!_answerFailing)
            {
                _answerFailing = true;
                LogAnswerFailed(_logger, AppliedRoutesFile.PathIn(_options.RunDir), ex.Message);
            }
        }
    }

    private (long, DateTime)? Stat()
    {
        try
        {
            var info = new FileInfo(_store.FilePath);
            return info.Exists ? (info.Length, info.LastWriteTimeUtc) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) => Reload(force: true);

    private void OnWatcherError(object sender, ErrorEventArgs e) => LogWatcherFailed(_logger, _store.Directory, e.GetException());
}
