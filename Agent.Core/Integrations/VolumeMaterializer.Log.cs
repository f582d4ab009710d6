using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Integrations;

public sealed partial class VolumeMaterializer
{
    [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "{Slug}: fetching {Field} from {Source} (key {Key}, attempt {Attempt})")]
    private partial void LogFetching(string slug, string field, string source, string key, int attempt);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Information, Message = "{Slug}: fetched {Field} (key {Key}): {Files} files, {Bytes} bytes in {Seconds:F1}s")]
    private partial void LogFetched(string slug, string field, string key, long files, long bytes, double seconds);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Warning, Message = "{Slug}: fetching {Field} failed (attempt {Attempt}, retry in {RetrySeconds:F0}s): {Reason}")]
    private partial void LogFetchFailed(string slug, string field, int attempt, double retrySeconds, string reason);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Information, Message = "{Slug}: removed volume {Path}")]
    private partial void LogRemoved(string slug, string path);

    [LoggerMessage(EventId = 1705, Level = LogLevel.Information, Message = "{Slug}: stopped fetching {Field} (key {Key}): no deployment needs it any more")]
    private partial void LogFetchAbandoned(string slug, string field, string key);
}
