using System.Net.Sockets;
using System.Text;
using GradientNode.Daemon.Hosting;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
public sealed class SystemdWatchdogTests
{
    [Test]
    public async Task RunAsync_AliveThenHung_PingsOnlyWhileAlive()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gn-wd-{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        try
        {
            var env = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path, ["WATCHDOG_USEC"] = "2000000" };
            using var notifier = SystemdNotifier.FromEnvironment(env.GetValueOrDefault);
            var time = new FakeTimeProvider();
            var alive = true;
            var status = "0/1 deployments ready";
            using var stop = new CancellationTokenSource();
            var loop = SystemdWatchdog.RunAsync(notifier, () => alive, () => status, time, stop.Token);

            time.Advance(TimeSpan.FromSeconds(1));
            Assert.That(await ReceivedAsync(listener, 1), Is.EqualTo(new[] { "WATCHDOG=1" }));

            status = "1/1 deployments ready";
            alive = false;
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.That(await ReceivedAsync(listener, 1), Is.EqualTo(new[] { "STATUS=1/1 deployments ready" }), "no WATCHDOG=1 while the loop is hung");

            await stop.CancelAsync();
            await loop;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Waits for <paramref name="count"/> datagrams (each tick sends its messages in order), then a moment for strays.</summary>
    private static async Task<List<string>> ReceivedAsync(Socket socket, int count)
    {
        var messages = new List<string>();
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TestTimeouts.Short);
        while (messages.Count < count)
        {
            var length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            messages.Add(Encoding.UTF8.GetString(buffer, 0, length));
        }

        await Task.Delay(50);
        while (socket.Available > 0)
        {
            var length = socket.Receive(buffer);
            messages.Add(Encoding.UTF8.GetString(buffer, 0, length));
        }

        return messages;
    }
}
