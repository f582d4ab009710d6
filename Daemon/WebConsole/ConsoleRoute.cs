namespace GradientNode.Daemon.WebConsole;

/// <summary>A browser request the console forwards: the daemon's method and path (with only the allowed query).</summary>
internal sealed record ConsoleRoute(HttpMethod Method, string DaemonPath, bool Stream);
