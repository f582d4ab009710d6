using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Reconciliation;

public sealed partial class ImagePuller
{
    [LoggerMessage(EventId = 1031, Level = LogLevel.Information, Message = "{Slug}: pulling image {Image} in the background (attempt {Attempt})")]
    private partial void LogPulling(string slug, string image, int attempt);

    [LoggerMessage(EventId = 1032, Level = LogLevel.Information, Message = "pulled image {Image} in {Seconds:F1}s")]
    private partial void LogPulled(string image, double seconds);

    [LoggerMessage(EventId = 1033, Level = LogLevel.Warning, Message = "pulling image {Image} failed (attempt {Attempt}, retry in {RetrySeconds:F0}s): {Reason}")]
    private partial void LogPullFailed(string image, int attempt, double retrySeconds, string reason);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "{Slug}: image {Image}: {Warning}")]
    private partial void LogUsingLocalImage(string slug, string image, string warning);
}
