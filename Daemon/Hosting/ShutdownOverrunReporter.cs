namespace GradientNode.Daemon.Hosting;

/// <summary>
/// Says when the daemon's shutdown ran past <see cref="DaemonHost.ShutdownTimeout"/>. Registered before every other
/// hosted service, so the host stops it last (hosted services stop in reverse order, the API's web server first): when
/// its stop token has already fired, something (an open request, a service) held the shutdown for the whole timeout and
/// was cut off rather than stopped. Said once, though the host may be stopped twice (on SIGTERM, and by
/// <see cref="RoleRunner"/> after it).
/// </summary>
internal sealed partial class ShutdownOverrunReporter(ILogger<ShutdownOverrunReporter> logger) : IHostedService
{
    private int _reported;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested && Interlocked.Exchange(ref _reported, 1) == 0)
        {
            ShutdownOverran(logger, DaemonHost.ShutdownTimeout.TotalSeconds);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 4060, Level = LogLevel.Warning, Message = "shutdown ran past its {TimeoutSeconds} s timeout: what still ran (an open API request, a service) was cut off, not stopped")]
    private static partial void ShutdownOverran(ILogger logger, double timeoutSeconds);
}
