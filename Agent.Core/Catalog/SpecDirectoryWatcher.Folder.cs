using GradientNode.Core.Common;

namespace GradientNode.Core.Catalog;

/// <summary>
/// The spec folder itself: watched, and what a scan does when it is gone or replaced. A folder that was read once and is
/// missing now (removed, a link to a folder that is gone, a mount gone with its mount point) is unknown, not empty: the
/// catalog is kept as it was, the node says so once (1106, and 1107 when it is back) and lists it in <see cref="Warnings"/>.
/// The node does not create it again while it runs (only at the start): before, each rescan created an empty folder in
/// its place, read it as "every spec deleted" and removed every deployment, and a <c>mv specs.new specs</c> that followed
/// moved the new folder into the empty one, where its specs were never read. A folder replaced by another one (made
/// again, a link pointed elsewhere, a mount over it) is read as it is now, and watched anew.
/// </summary>
public sealed partial class SpecDirectoryWatcher
{
    private volatile string? _folderMissing;

    /// <summary>The device, inode and birth time of the folder the file watcher watches (links followed); null when none is watched.</summary>
    private (ulong Device, ulong Inode, DateTime Born)? _watched;

    /// <summary>1 once a scan found the folder back after it was missing (a scan may run on an API call's thread).</summary>
    private int _watchAgain;

    /// <summary>Whether the scan is to keep the catalog as it is because the folder read before is gone (noted once).</summary>
    private bool FolderMissing()
    {
        if (Directory.Exists(SpecsDir) || !_firstScan.Task.IsCompleted)
        {
            if (_folderMissing is not null)
            {
                _folderMissing = null;
                Volatile.Write(ref _watchAgain, 1); // made again: watched anew, even where it got the old folder's inode number
                LogFolderBack(SpecsDir);
            }

            return false;
        }

        if (_folderMissing is null)
        {
            var count = _catalog.Entries.Count;
            _folderMissing = $"the spec folder {SpecsDir} is missing (removed, or a link or mount to a folder that is gone): the {count} deployment(s) read from it before are kept as they were, not removed; the node does not create it again while it runs: put it back (an empty folder removes them)";
            LogFolderMissing(SpecsDir, count);
        }

        return true;
    }

    /// <summary>
    /// An API write (<c>apply</c>, <c>scale</c>) while the folder read before is missing is refused: it would make the folder
    /// again with that one spec in it, and the scan would then read every other deployment as deleted. Edits (scale,
    /// enable) ask before they read the file, so they say this rather than "could not read a file".
    /// </summary>
    public void RefuseWhileTheFolderIsMissing(string path)
    {
        if (_firstScan.Task.IsCompleted && !Directory.Exists(SpecsDir))
        {
            throw new SpecFileWriteException($"cannot write the spec file {path}: the spec folder {SpecsDir} is missing, and the node keeps its {Entries.Count} deployment(s) as they were until it is back; a folder made now with this one spec in it would remove the others. Put the folder back (or make it again on purpose: mkdir {SpecsDir}), then try again; nothing was changed");
        }
    }

    /// <summary>The file watcher for the folder as it is now: the one given while it is the same folder, else a new one (or null).</summary>
    private IDisposable? Rewatch(IDisposable? watcher)
    {
        var now = FileStatus.TryOf(SpecsDir, followLinks: true, out var status, out _) && status.IsDirectory
            ? (status.Device, status.Inode, Directory.GetCreationTimeUtc(SpecsDir))
            : ((ulong, ulong, DateTime)?)null;
        if (now is null || (now == _watched && Interlocked.Exchange(ref _watchAgain, 0) == 0))
        {
            return watcher;
        }

        // An inotify watch follows the folder it was set on: one removed, or covered by a link or a mount, reports nothing more.
        watcher?.Dispose();
        _watched = now;
        Volatile.Write(ref _watchAgain, 0);
        return TryWatch();
    }

    /// <summary>The watcher, or null when it cannot start: then the periodic rescan is the only way changes arrive.</summary>
    private IDisposable? TryWatch()
    {
        try
        {
            var watcher = StartWatching(SpecsDir, Signal);
            _watchProblem = null;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            _watchProblem = $"the spec directory {SpecsDir} is not watched ({ex.Message}); changes are picked up by a rescan every {ResyncPeriod.TotalSeconds:0.#} s";
            LogWatchFailed(SpecsDir, ex.Message, ResyncPeriod.TotalSeconds);
            return null;
        }
    }

    private static FileSystemWatcher Watch(string directory, Action signal)
    {
        var watcher = new FileSystemWatcher(directory) { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        try
        {
            FileSystemEventHandler onChange = (_, _) => signal();
            watcher.Created += onChange;
            watcher.Changed += onChange;
            watcher.Deleted += onChange;
            watcher.Renamed += (_, _) => signal();
            watcher.Error += (_, _) => signal();

            // Throws IOException when inotify_init or inotify_add_watch hits the user's limit.
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch
        {
            watcher.Dispose();
            throw;
        }
    }
}
