namespace GradientNode.Daemon.Hosting;

/// <summary>The role cannot start; the message says why and the process exits 1.</summary>
internal sealed class StartupException(string message) : Exception(message);
