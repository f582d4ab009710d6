using GradientNode.Daemon.Security;
using NUnit.Framework;

namespace GradientNode.Tests.Security;

[TestFixture]
[Category("Unit")]
public sealed class SocketConnectionLimitTests
{
    private const uint OwnUid = 1500;

    [Test]
    public void TryEnter_MembersPastTheCap_RefusedUntilOneExits()
    {
        var limit = new SocketConnectionLimit(OwnUid, maxMemberConnections: 3, new FakeTimeProvider());

        Assert.That(Enumerable.Range(0, 3).Select(i => limit.TryEnter((uint)(1001 + i))), Is.All.True, "three members, three slots");
        Assert.That(limit.TryEnter(1001), Is.False, "the fourth member connection");
        Assert.That(limit.TryEnter(1009), Is.False, "another member: the cap is for all members together");
        Assert.That(limit.Open, Is.EqualTo(3), "a refusal takes no slot");

        limit.Exit(1002);
        Assert.That(limit.TryEnter(1009), Is.True, "a freed slot is taken again");
        Assert.That(limit.Open, Is.EqualTo(3));
    }

    [Test]
    public void TryEnter_RootAndTheDaemonsUserWithMembersAtTheCap_AdmittedWithoutTakingASlot()
    {
        var limit = new SocketConnectionLimit(OwnUid, maxMemberConnections: 2, new FakeTimeProvider());
        Assert.That(limit.TryEnter(1001) && limit.TryEnter(1001), Is.True);
        Assert.That(limit.TryEnter(1001), Is.False);

        Assert.That(limit.TryEnter(0), Is.True, "root");
        Assert.That(limit.TryEnter(OwnUid), Is.True, "the daemon's own user (the console it hosts)");
        limit.Exit(0);
        limit.Exit(OwnUid);
        Assert.That(limit.Open, Is.EqualTo(2), "root's connections neither took nor gave back a member's slot");
        Assert.That(limit.KestrelCap, Is.EqualTo(2 + SocketConnectionLimit.PrivilegedReserve), "Kestrel's own cap leaves root its reserve above the members'");
    }

    [Test]
    public void TakeRefusalReport_WallClockStepsBackAnHour_NextReportStillAfterOneInterval()
    {
        // Before, the last report was a wall-clock instant: a step back of an hour silenced the refusal lines for an hour.
        var time = new GradientNode.Tests.Infrastructure.SteppingTimeProvider();
        var limit = new SocketConnectionLimit(OwnUid, maxMemberConnections: 1, time);
        Assert.That(limit.TryEnter(1001), Is.True);
        Assert.That(limit.TryEnter(1001), Is.False);
        Assert.That(limit.TakeRefusalReport(), Is.EqualTo(1));

        time.Step(TimeSpan.FromHours(-1));
        time.Advance(SocketConnectionLimit.ReportInterval);
        Assert.That(limit.TryEnter(1001), Is.False);

        Assert.That(limit.TakeRefusalReport(), Is.EqualTo(1), "one interval passed: the next line is written");
    }

    [Test]
    public void TakeRefusalReport_FloodOfRefusals_OneReportPerIntervalCountingThoseSinceTheLast()
    {
        var time = new FakeTimeProvider();
        var limit = new SocketConnectionLimit(OwnUid, maxMemberConnections: 1, time);
        Assert.That(limit.TryEnter(1001), Is.True);

        Assert.That(limit.TryEnter(1001), Is.False);
        Assert.That(limit.TakeRefusalReport(), Is.EqualTo(1), "the first refusal is reported at once");
        var reports = new List<long?>();
        for (var i = 0; i < 500; i++)
        {
            Assert.That(limit.TryEnter(1001), Is.False);
            reports.Add(limit.TakeRefusalReport());
        }

        Assert.That(reports, Is.All.Null, "no line for the next 500 within the interval");
        time.Advance(SocketConnectionLimit.ReportInterval);
        Assert.That(limit.TryEnter(1001), Is.False);
        Assert.That(limit.TakeRefusalReport(), Is.EqualTo(501), "the next line counts every refusal since the last");
    }
}
