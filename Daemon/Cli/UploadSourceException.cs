namespace GradientNode.Daemon.Cli;

/// <summary>The client could not read what it was asked to upload (permission denied, a special file, a folder link).</summary>
internal sealed class UploadSourceException(string message, Exception? inner = null) : Exception(message, inner);
