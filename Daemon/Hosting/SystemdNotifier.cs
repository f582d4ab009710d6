using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace GradientNode.Daemon.Hosting;

/// <summary>
/// sd_notify(3) by hand: one datagram per message to <c>$NOTIFY_SOCKET</c> (a path, or an abstract name written
/// with a leading '@'). Without the variable every call is a no-op, so the roles run the same in a terminal.
/// Sending never throws: a lost notification must not take the service down.
/// </summary>
internal sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _target;
    private readonly Lock _gate = new();

    private SystemdNotifier(string? address, TimeSpan? watchdogInterval)
    {
        WatchdogInterval = watchdogInterval;
        if (string.IsNullOrEmpty(address) || (address[0] != '/' && address[0] != '@'))
        {
            return;
        }

        _target = new UnixDomainSocketEndPoint(address[0] == '@' ? "\0" + address[1..] : address);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>True when a service manager listens (<c>$NOTIFY_SOCKET</c> is set).</summary>
    public bool IsEnabled => _socket is not null;

    /// <summary>The watchdog timeout (<c>$WATCHDOG_USEC</c>) when it is meant for this process; ping at half of it.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>Reads <c>NOTIFY_SOCKET</c>, <c>WATCHDOG_USEC</c> and <c>WATCHDOG_PID</c>.</summary>
    public static SystemdNotifier FromEnvironment(Func<string, string?> env, int? ownPid = null)
    {
        TimeSpan? watchdog = null;
        var pid = env("WATCHDOG_PID");
        var forUs = string.IsNullOrEmpty(pid) || pid == (ownPid ?? Environment.ProcessId).ToString(CultureInfo.InvariantCulture);
        if (forUs && long.TryParse(env("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0)
        {
            watchdog = TimeSpan.FromMicroseconds(usec);
        }

        return new SystemdNotifier(env("NOTIFY_SOCKET"), watchdog);
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
        if (_socket is null || _target is null)
        {
            return false;
        }

        try
        {
            lock (_gate)
            {
                _socket.SendTo(Encoding.UTF8.GetBytes(state), _target);
            }

            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose() => _socket?.Dispose();

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
