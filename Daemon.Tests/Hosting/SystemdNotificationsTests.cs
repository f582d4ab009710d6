using GradientNode.Daemon.Hosting;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

/// <summary>Our messages through the library's <c>SystemdNotifier</c>, received on a real datagram socket.</summary>
[TestFixture]
[Category("Unit")]
[NonParallelizable]
public sealed class SystemdNotificationsTests
{
    [Test]
    public void Ready_NoNotifySocket_IsDisabledAndSendsNothing()
    {
        var notifications = new SystemdNotifications(NotifySocketListener.NotifierFor(null), null);

        Assert.That(notifications.IsEnabled, Is.False);
        Assert.That(notifications.Ready("x"), Is.False);
    }

    [Test]
    public void WatchdogIntervalFrom_WatchdogForAnotherPid_IsNull()
    {
        var env = new Dictionary<string, string> { ["WATCHDOG_USEC"] = "4000000", ["WATCHDOG_PID"] = "1" };

        Assert.That(SystemdNotifications.WatchdogIntervalFrom(env.GetValueOrDefault, ownPid: 42), Is.Null);
    }

    [Test]
    public void WatchdogIntervalFrom_WatchdogUsecForThisPid_GivesInterval()
    {
        var env = new Dictionary<string, string> { ["WATCHDOG_USEC"] = "4000000", ["WATCHDOG_PID"] = "42" };

        Assert.That(SystemdNotifications.WatchdogIntervalFrom(env.GetValueOrDefault, ownPid: 42), Is.EqualTo(TimeSpan.FromSeconds(4)));
    }

    [Test]
    public void WatchdogIntervalFrom_NoWatchdogUsec_IsNull()
    {
        Assert.That(SystemdNotifications.WatchdogIntervalFrom(_ => null, ownPid: 42), Is.Null);
    }

    [Test]
    public async Task Ready_PathSocket_SendsOneDatagramWithReadyAndStatus()
    {
        using var listener = new NotifySocketListener();
        var notifications = new SystemdNotifications(listener.CreateNotifier(), null);

        Assert.That(notifications.Ready("1/2 deployments ready\nsecond line"), Is.True);

        var messages = await listener.ReceiveAsync(1);
        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.That(messages[0], Does.StartWith("READY=1\n"));
        Assert.That(messages[0], Does.Contain("STATUS=1/2 deployments ready second line"));
        Assert.That(messages[0], Does.EndWith($"\nMAINPID={Environment.ProcessId}"));
    }

    [Test]
    public async Task Stopping_AbstractSocket_AtMeansLeadingNul()
    {
        using var listener = new NotifySocketListener(isAbstract: true);
        var notifications = new SystemdNotifications(listener.CreateNotifier(), null);

        Assert.That(notifications.Stopping("bye"), Is.True);

        Assert.That(await listener.ReceiveAsync(1), Is.EqualTo(new[] { "STOPPING=1\nSTATUS=bye" }));
    }

    [Test]
    public async Task ReloadingThenReloadDone_PathSocket_SendsReloadingThenReadyWithStatus()
    {
        using var listener = new NotifySocketListener();
        var notifications = new SystemdNotifications(listener.CreateNotifier(), null);

        notifications.Reloading();
        notifications.ReloadDone("2/2 deployments ready");

        Assert.That(await listener.ReceiveAsync(2), Is.EqualTo(new[] { "RELOADING=1", "READY=1\nSTATUS=2/2 deployments ready" }));
    }

    [Test]
    public void Watchdog_NobodyListensAtThePath_ReturnsFalseWithoutThrowing()
    {
        var gone = Path.Combine(Path.GetTempPath(), $"gn-notify-{Guid.NewGuid():N}.sock");
        var notifications = new SystemdNotifications(NotifySocketListener.NotifierFor(gone), null);

        Assert.That(notifications.IsEnabled, Is.True);
        Assert.That(notifications.Watchdog(), Is.False);
    }
}
