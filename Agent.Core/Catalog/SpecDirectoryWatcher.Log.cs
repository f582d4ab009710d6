using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Catalog;

/// <summary>The watcher's log events (11xx).</summary>
public sealed partial class SpecDirectoryWatcher
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "spec {Slug} changed ({File})")]
    private partial void LogChanged(string slug, string file);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "cannot read {File}: {Error}; skipped until it can be read (logged once)")]
    private partial void LogUnreadable(string file, string error);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "{Problem}")]
    private partial void LogStateUnwritable(string problem);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "the state directory {Directory} can be written again; last good copies and spec owners are saved")]
    private partial void LogStateWritable(string directory);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Error, Message = "scanning {Directory} failed ({Type}: {Error}); trying again in {Seconds} s")]
    private partial void LogScanFailed(string directory, string type, string error, double seconds);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "cannot watch {Directory} ({Error}); falling back to a rescan every {Seconds} s (raise fs.inotify.max_user_instances / max_user_watches to watch it)")]
    private partial void LogWatchFailed(string directory, string error, double seconds);
}
