namespace GradientNode.Daemon.Hosting;

/// <summary>
/// After READY=1: pings <c>WATCHDOG=1</c> at half the watchdog interval while <paramref name="alive"/> holds (so a
/// hung loop gets the process restarted), and refreshes <c>STATUS=</c> when the summary changes.
/// </summary>
internal static class SystemdWatchdog
{
    private static readonly TimeSpan StatusPeriod = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(SystemdNotifications notifier, Func<bool> alive, Func<string> status, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!notifier.IsEnabled)
        {
            return;
        }

        var period = notifier.WatchdogInterval is { } watchdog && watchdog / 2 < StatusPeriod ? watchdog / 2 : StatusPeriod;
        if (period < TimeSpan.FromMilliseconds(10))
        {
            period = TimeSpan.FromMilliseconds(10);
        }

        var lastStatus = status();
        var sincePing = TimeSpan.Zero;
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                sincePing += period;
                if (notifier.WatchdogInterval is { } interval && sincePing >= interval / 2 - TimeSpan.FromMilliseconds(1))
                {
                    sincePing = TimeSpan.Zero;
                    if (alive())
                    {
                        notifier.Watchdog();
                    }
                }

                var now = status();
                if (now != lastStatus)
                {
                    lastStatus = now;
                    notifier.Status(now);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
