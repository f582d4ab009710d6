using GradientNode.Daemon.Hosting;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
[NonParallelizable]
public sealed class SystemdWatchdogTests
{
    [Test]
    public async Task RunAsync_AliveThenHung_PingsOnlyWhileAlive()
    {
        using var listener = new NotifySocketListener();
        var notifications = new SystemdNotifications(listener.CreateNotifier(), TimeSpan.FromSeconds(2));
        var time = new FakeTimeProvider();
        var alive = true;
        var status = "0/1 deployments ready";
        using var stop = new CancellationTokenSource();
        var loop = SystemdWatchdog.RunAsync(notifications, () => alive, () => status, time, stop.Token);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await listener.ReceiveAsync(1), Is.EqualTo(new[] { "WATCHDOG=1" }));

        status = "1/1 deployments ready";
        alive = false;
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(await listener.ReceiveAsync(1), Is.EqualTo(new[] { "STATUS=1/1 deployments ready" }), "no WATCHDOG=1 while the loop is hung");

        await stop.CancelAsync();
        await loop;
    }
}
