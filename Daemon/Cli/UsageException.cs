namespace GradientNode.Daemon.Cli;

/// <summary>The command line is wrong; printed with a hint and exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
