namespace GradientNode.Daemon.Api;

/// <summary>
/// The token of an answer that streams until the client goes away (<c>logs -f</c>): it also fires when the daemon
/// stops, so an open stream never holds the host's shutdown for its whole timeout. A stream cut that way is aborted,
/// not ended, so the client can tell it from a log that ended (<see cref="Cut"/>).
/// </summary>
internal static class StreamingAnswer
{
    public static CancellationTokenSource Link(HttpContext context) => CancellationTokenSource.CreateLinkedTokenSource(
        context.RequestAborted,
        context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);

    /// <summary>After the linked token fired: aborts the connection when the daemon stopping (not the client) fired it.</summary>
    public static void Cut(HttpContext context)
    {
        if (!context.RequestAborted.IsCancellationRequested)
        {
            context.Abort();
        }
    }
}
