using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Datasets;

public sealed partial class DatasetStore
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Dataset {Name} created")]
    private partial void LogCreated(string name);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Dataset version {Id} committed: {Files} files, {Bytes} bytes")]
    private partial void LogCommitted(string id, long files, long bytes);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Dataset {Reference} removed")]
    private partial void LogRemoved(string reference);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Removed the staging folder {Write} left by an unfinished dataset write")]
    private partial void LogStagingRemoved(string write);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Dataset {Name}: {Count} entries that are not regular files or folders (links, fifos, devices) were left out of the version")]
    private partial void LogDropped(string name, int count);
}
