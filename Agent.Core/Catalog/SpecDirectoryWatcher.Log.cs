using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Catalog;

/// <summary>The watcher's log events (11xx).</summary>
public sealed partial class SpecDirectoryWatcher
{
    /// <summary>Logs a deployment's change (1101), and when its file has errors with nothing to fall back on, why (1105).</summary>
    private void LogChange(string slug)
    {
        var entry = Entries.GetValueOrDefault(slug);
        LogChanged(slug, entry?.File ?? "(removed)");
        if (entry?.LastGoodProblem is { } problem)
        {
            LogNoLastGood(slug, entry.File, Path.Combine(Path.GetDirectoryName(LastGoodDir)!, problem));
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "spec {Slug} changed ({File})")]
    private partial void LogChanged(string slug, string file);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "cannot read {File}: {Error}; skipped until it can be read (logged once)")]
    private partial void LogUnreadable(string file, string error);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "{Problem}")]
    private partial void LogStateUnwritable(string problem);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "the state directory {Directory} can be written again; last good copies and spec owners are saved")]
    private partial void LogStateWritable(string directory);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "deployment {Slug}: spec file {File} has errors and its last good copy is damaged ({Problem}); there is no last good version to fall back on: the replicas that run are left as they are (not replaced, not restarted) until the file is fixed")]
    private partial void LogNoLastGood(string slug, string file, string problem);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "the spec folder {Directory} is missing (removed, or a link or mount to a folder that is gone): its {Count} deployment(s) are kept as they were, not removed, until it is back (logged once)")]
    private partial void LogFolderMissing(string directory, int count);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Information, Message = "the spec folder {Directory} is back: read as it is now")]
    private partial void LogFolderBack(string directory);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Error, Message = "scanning {Directory} failed ({Type}: {Error}); trying again in {Seconds} s")]
    private partial void LogScanFailed(string directory, string type, string error, double seconds);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "cannot watch {Directory} ({Error}); falling back to a rescan every {Seconds} s (raise fs.inotify.max_user_instances / max_user_watches to watch it)")]
    private partial void LogWatchFailed(string directory, string error, double seconds);
}
