namespace GradientNode.Daemon.Cli;

/// <summary>The API socket does not answer; exit code 3.</summary>
internal sealed class DaemonUnreachableException(string message) : Exception(message);
