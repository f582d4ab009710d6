namespace GradientNode.Proxy.Tls;

/// <summary>The file watches of <see cref="CertificateProvider"/>: the folders of the files it reads, and their parents.</summary>
internal sealed partial class CertificateProvider
{
    private void Watch()
    {
        var folders = new[] { _options.CertificateFile, _options.KeyFile }
            .Where(f => f is not null).Select(f => Path.GetDirectoryName(Path.GetFullPath(f!))!)
            .Append(_options.CertificateDirectory is { } d ? Path.GetFullPath(d) : null)
            .OfType<string>().Distinct(StringComparer.Ordinal);
        lock (_watching)
        {
            if (_disposed)
            {
                return;
            }

            foreach (var watcher in _watchers)
            {
                watcher.Dispose();
            }

            _watchers.Clear();
            foreach (var folder in folders)
            {
                AddWatcher(folder, filter: null, NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime);

                // The parent sees the folder itself deleted or made again; the re-read that follows watches the new one.
                if (Path.GetDirectoryName(folder) is { Length: > 0 } parent)
                {
                    AddWatcher(parent, Path.GetFileName(folder), NotifyFilters.DirectoryName);
                }
            }
        }
    }

    private void AddWatcher(string folder, string? filter, NotifyFilters notify)
    {
        try
        {
            var watcher = new FileSystemWatcher(folder) { NotifyFilter = notify, IncludeSubdirectories = false };
            if (filter is not null)
            {
                watcher.Filter = filter;
            }

            watcher.Changed += (_, _) => Changed();
            watcher.Created += (_, _) => Changed();
            watcher.Deleted += (_, _) => Changed();
            watcher.Renamed += (_, _) => Changed();
            watcher.Error += (_, e) => LogWatchFailed(_logger, folder, e.GetException().Message);
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            LogWatchFailed(_logger, folder, ex.Message);
        }
    }

    private void Changed() => _debounce?.Change(_options.WatchDebounce, Timeout.InfiniteTimeSpan);
}
