using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Auth;

/// <summary>
/// The limiter's log: one line per lockout (at most <see cref="LoggedLockoutsPerWindow"/> per window, so a distributed
/// attack cannot flood the journal), naming the client's address group and the deployment. Never the password, and
/// not the user name either: it is attacker-chosen text (and people type passwords into user name fields), while
/// the only accepted one is fixed.
/// </summary>
internal sealed partial class AuthFailureLimiter
{
    private void LogLockoutStarted(long now, string client, string deployment)
    {
        int notLogged;
        lock (_logGate)
        {
            if (now >= _logWindowEnd)
            {
                _logWindowEnd = now + _window;
                _logged = 0;
            }

            if (_logged >= LoggedLockoutsPerWindow)
            {
                _suppressed++;
                return;
            }

            _logged++;
            notLogged = _suppressed;
            _suppressed = 0;
        }

        if (notLogged > 0)
        {
            LogLockoutsNotLogged(_logger, notLogged, LoggedLockoutsPerWindow, _windowSpan);
        }

        LogLockout(_logger, client, deployment, _limit, _windowSpan);
    }

    private void LogTableFullOnce(long now)
    {
        var until = Volatile.Read(ref _tableFullLoggedUntil);
        if (now >= until && Interlocked.CompareExchange(ref _tableFullLoggedUntil, now + _window, until) == until)
        {
            LogTableFull(_logger, _capacity);
        }
    }

    [LoggerMessage(EventId = ProxyLogEvents.AuthLockout, Level = LogLevel.Warning,
        Message = "Basic auth: {Client} locked out of deployment {Deployment} after {Failures} wrong passwords within {Window}; its requests get 429 without a password check for {Window}")]
    private static partial void LogLockout(ILogger logger, string client, string deployment, int failures, TimeSpan window);

    [LoggerMessage(EventId = ProxyLogEvents.AuthFailureTableFull, Level = LogLevel.Warning,
        Message = "Basic auth: the table of failing clients is full ({Capacity}, all locked out); clients without an entry now share one budget of wrong passwords per deployment")]
    private static partial void LogTableFull(ILogger logger, int capacity);

    [LoggerMessage(EventId = ProxyLogEvents.AuthLockoutsNotLogged, Level = LogLevel.Warning,
        Message = "Basic auth: {Count} more lockouts were not logged (at most {PerWindow} per {Window})")]
    private static partial void LogLockoutsNotLogged(ILogger logger, int count, int perWindow, TimeSpan window);
}
