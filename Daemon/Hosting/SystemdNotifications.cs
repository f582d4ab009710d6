using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting.Systemd;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// The sd_notify(3) messages the roles send, through the <see cref="ISystemdNotifier"/> of
/// Microsoft.Extensions.Hosting.Systemd (one datagram per message to <c>$NOTIFY_SOCKET</c>, a path or an abstract
/// <c>@name</c>). Without the variable every call is a no-op, so the roles run the same in a terminal. Sending never
/// throws: a lost notification must not take the service down.
/// </summary>
internal sealed class SystemdNotifications(ISystemdNotifier notifier, TimeSpan? watchdogInterval)
{
    /// <summary>True when a service manager listens (<c>$NOTIFY_SOCKET</c> is set).</summary>
    public bool IsEnabled => notifier.IsEnabled;

    /// <summary>The watchdog timeout (<c>$WATCHDOG_USEC</c>) when it is meant for this process; ping at half of it.</summary>
    public TimeSpan? WatchdogInterval { get; } = watchdogInterval;

    /// <summary>The library's notifier (it reads <c>NOTIFY_SOCKET</c>) and this process's watchdog interval.</summary>
    public static SystemdNotifications FromProcess() =>
        new(new SystemdNotifier(), WatchdogIntervalFrom(Environment.GetEnvironmentVariable, Environment.ProcessId));

    /// <summary>Reads <c>WATCHDOG_USEC</c>, unless <c>WATCHDOG_PID</c> names another process.</summary>
    public static TimeSpan? WatchdogIntervalFrom(Func<string, string?> env, int ownPid)
    {
        var pid = env("WATCHDOG_PID");
        var forUs = string.IsNullOrEmpty(pid) || pid == ownPid.ToString(CultureInfo.InvariantCulture);
        return forUs && long.TryParse(env("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0
            ? TimeSpan.FromMicroseconds(usec)
            : null;
    }

    public bool Ready(string status) => Send($"READY=1\nSTATUS={OneLine(status)}\nMAINPID={Environment.ProcessId}");

    public bool Stopping(string status) => Send($"STOPPING=1\nSTATUS={OneLine(status)}");

    public bool Reloading() => Send("RELOADING=1");

    public bool ReloadDone(string status) => Send($"READY=1\nSTATUS={OneLine(status)}");

    public bool Watchdog() => Send("WATCHDOG=1");

    public bool Status(string status) => Send($"STATUS={OneLine(status)}");

    /// <summary>Sends one datagram of <c>KEY=VALUE</c> lines; false when there is no listener or it failed.</summary>
    public bool Send(string state)
    {
        if (!notifier.IsEnabled)
        {
            return false;
        }

        try
        {
            notifier.Notify(new ServiceState(state));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
