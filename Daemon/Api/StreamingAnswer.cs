namespace GradientNode.Daemon.Api;

/// <summary>
/// The token of an answer that streams until the client goes away (<c>logs -f</c>): it also fires when the daemon
/// stops, so an open stream never holds the host's shutdown for its whole timeout. A stream cut that way is aborted,
/// not ended, so the client can tell it from a log that ended (<see cref="Cut"/>). A call that comes, or is still being
/// prepared, while the daemon stops is answered 503 with <see cref="StoppingText"/> (<see cref="RunAsync"/>); before,
/// the cancelled listing of its containers escaped as a bare <c>500 Internal Server Error</c>, which the web console
/// showed in its log pane.
/// </summary>
internal static class StreamingAnswer
{
    /// <summary>The answer to a logs call while the daemon stops.</summary>
    public const string StoppingText = "the daemon is stopping: ask again once it is back (a restart takes a few seconds)\n";

    public static CancellationTokenSource Link(HttpContext context) => CancellationTokenSource.CreateLinkedTokenSource(
        context.RequestAborted,
        context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);

    /// <summary>
    /// Runs <paramref name="answer"/> with the linked token. When that token fires before the answer has started (the
    /// daemon stopping), the client gets 503 and <see cref="StoppingText"/>; after it has started, the stream is cut.
    /// </summary>
    public static async Task RunAsync(HttpContext context, Func<CancellationToken, Task> answer)
    {
        using var stream = Link(context);
        try
        {
            await answer(stream.Token);
        }
        catch (OperationCanceledException) when (stream.Token.IsCancellationRequested)
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }

            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.Headers.RetryAfter = "5";
            await context.Response.WriteAsync(StoppingText, CancellationToken.None);
        }
    }

    /// <summary>After the linked token fired: aborts the connection when the daemon stopping (not the client) fired it.</summary>
    public static void Cut(HttpContext context)
    {
        if (!context.RequestAborted.IsCancellationRequested)
        {
            context.Abort();
        }
    }
}
