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

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Dataset {Name}: its record {Path} was damaged ({Problem}); kept aside as {KeptAs} and replaced by a new record with no description, so its versions stay usable")]
    private partial void LogRecordRepaired(string name, string path, string problem, string keptAs);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "Dataset {Name}: its tags file {Path} was damaged ({Problem}); kept aside as {KeptAs}, the dataset has no tags until they are set again (or the file is restored)")]
    private partial void LogTagsKeptAside(string name, string path, string problem, string keptAs);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Warning, Message = "Dataset write file {Path} of a workflow job's open output was damaged ({Problem}); written again from the run's record, which names dataset {Name}, so the job's output is committed or removed when it ends")]
    private partial void LogWriteReopened(string path, string problem, string name);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Warning, Message = "Dataset version manifest {Path} is damaged ({Problem}); the version is left out of every listing and cannot be used or downloaded; its folder is left as it is (restore the file, or delete the version's folder)")]
    private partial void LogManifestDamaged(string path, string problem);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "Dataset {Name}: committing write {Write}, {Done} of {Total} bytes hashed")]
    private partial void LogCommitting(string name, string write, long done, long total);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "Dataset {Name}: the commit of write {Write} was canceled after {Done} of {Total} bytes hashed; its staging folder was removed and nothing was committed")]
    private partial void LogCommitCanceled(string name, string write, long done, long total);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Information, Message = "Commit of dataset {Name} write {Write} suspended at {Done} of {Total} bytes hashed: the node is stopping; the write stays staged and is committed again at the next start")]
    private partial void LogCommitSuspended(string name, string write, long done, long total);
}
