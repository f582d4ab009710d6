using GradientNode.Core.Routing;
using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Routing;

/// <summary>
/// Follows <c>&lt;run-dir&gt;/routes.json</c>: a file system watcher plus a poll (cheap: re-reads only when size,
/// mtime or inode changed). <see cref="Changed"/> fires when the routed content changed; a corrupt or vanished
/// file keeps the last good routes, so a daemon restart never empties the proxy.
/// </summary>
internal sealed partial class FileRouteSource : IDisposable
{
    private readonly RouteTableStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval;
    private readonly ILogger<FileRouteSource> _logger;
    private readonly Lock _gate = new();
    private FileSystemWatcher? _watcher;
    private ITimer? _timer;
    private (long Length, DateTime WriteTime)? _lastSeen;
    private RouteTableReadStatus _lastStatus = RouteTableReadStatus.Ok;
    private RouteTable _current = RouteTable.Empty;
    private bool _disposed;

    public FileRouteSource(string runDir, TimeProvider time, TimeSpan pollInterval, ILogger<FileRouteSource> logger)
    {
        _store = new RouteTableStore(runDir);
        _time = time;
        _pollInterval = pollInterval;
        _logger = logger;
        Reload(force: true);
    }

    /// <summary>Raised (under a lock, in order) with the new table when what it routes changed.</summary>
    public event Action<RouteTable>? Changed;

    public RouteTable Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
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

            _timer = _time.CreateTimer(static s => ((FileRouteSource)s!).Reload(force: false), this, _pollInterval, _pollInterval);
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
                        LogFileMissing(_logger, _store.FilePath, _current.Version);
                    }

                    return;
                case RouteTableReadStatus.Corrupt:
                    // The next poll retries only when the file changes again.
                    LogFileCorrupt(_logger, result.Error ?? "unknown error", _current.Version);
                    return;
            }

            var table = result.Table;
            if (table.Version == _current.Version && RouteTableComparer.SameRoutes(table, _current))
            {
                return;
            }

            var changed = !RouteTableComparer.SameRoutes(table, _current);
            _current = table;
            if (changed)
            {
                Changed?.Invoke(table);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _watcher?.Dispose();
            _timer?.Dispose();
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
