using System.Net.Sockets;
using System.Text;
using GradientNode.Daemon.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
public sealed class SystemdNotifierTests
{
    [Test]
    public void FromEnvironment_NoNotifySocket_IsDisabledAndSendsNothing()
    {
        using var notifier = SystemdNotifier.FromEnvironment(_ => null);

        Assert.That(notifier.IsEnabled, Is.False);
        Assert.That(notifier.Ready("x"), Is.False);
        Assert.That(notifier.WatchdogInterval, Is.Null);
    }

    [Test]
    public void FromEnvironment_WatchdogForAnotherPid_IsIgnored()
    {
        var env = new Dictionary<string, string> { ["WATCHDOG_USEC"] = "4000000", ["WATCHDOG_PID"] = "1" };

        using var notifier = SystemdNotifier.FromEnvironment(env.GetValueOrDefault, ownPid: 42);

        Assert.That(notifier.WatchdogInterval, Is.Null);
    }

    [Test]
    public void FromEnvironment_WatchdogUsec_GivesInterval()
    {
        var env = new Dictionary<string, string> { ["WATCHDOG_USEC"] = "4000000", ["WATCHDOG_PID"] = "42" };

        using var notifier = SystemdNotifier.FromEnvironment(env.GetValueOrDefault, ownPid: 42);

        Assert.That(notifier.WatchdogInterval, Is.EqualTo(TimeSpan.FromSeconds(4)));
    }

    [Test]
    public void Ready_PathSocket_SendsOneDatagramWithReadyAndStatus()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gn-notify-{Guid.NewGuid():N}.sock");
        using var listener = Bind(path);
        try
        {
            using var notifier = SystemdNotifier.FromEnvironment(name => name == "NOTIFY_SOCKET" ? path : null);

            Assert.That(notifier.Ready("1/2 deployments ready\nsecond line"), Is.True);

            var message = Receive(listener);
            Assert.That(message, Does.StartWith("READY=1\n"));
            Assert.That(message, Does.Contain("STATUS=1/2 deployments ready second line"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Stopping_AbstractSocket_AtMeansLeadingNul()
    {
        var name = $"gn-notify-{Guid.NewGuid():N}";
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint("\0" + name));
        using var notifier = SystemdNotifier.FromEnvironment(n => n == "NOTIFY_SOCKET" ? "@" + name : null);

        Assert.That(notifier.Stopping("bye"), Is.True);

        Assert.That(Receive(listener), Is.EqualTo("STOPPING=1\nSTATUS=bye"));
    }

    private static Socket Bind(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    private static string Receive(Socket socket)
    {
        socket.ReceiveTimeout = 5000;
        var buffer = new byte[4096];
        var length = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }
}
