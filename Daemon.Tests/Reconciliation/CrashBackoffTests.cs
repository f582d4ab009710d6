using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class CrashBackoffTests
{
    private static readonly DateTimeOffset Finished = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [TestCase(-1, 0)]
    [TestCase(0, 0)]
    [TestCase(1, 0)]
    [TestCase(2, 10)]
    [TestCase(3, 20)]
    [TestCase(4, 40)]
    [TestCase(5, 80)]
    [TestCase(6, 160)]
    [TestCase(7, 300)]
    [TestCase(8, 300)]
    [TestCase(50, 300)]
    [TestCase(int.MaxValue, 300)]
    public void Delay_Crashes_FollowsDoublingScheduleCappedAtFiveMinutes(int crashes, int seconds)
    {
        Assert.That(CrashBackoff.Delay(crashes), Is.EqualTo(TimeSpan.FromSeconds(seconds)));
    }

    [Test]
    public void CrashesAfter_ShortRun_AddsOne()
    {
        Assert.That(CrashBackoff.CrashesAfter(Exited(TimeSpan.FromMinutes(9) + TimeSpan.FromSeconds(59), crashes: 3)), Is.EqualTo(4));
    }

    [Test]
    public void CrashesAfter_RunOfExactlyTenMinutes_ResetsToZero()
    {
        Assert.That(CrashBackoff.CrashesAfter(Exited(TimeSpan.FromMinutes(10), crashes: 7)), Is.Zero);
    }

    [Test]
    public void CrashesAfter_LongRun_ResetsToZero()
    {
        Assert.That(CrashBackoff.CrashesAfter(Exited(TimeSpan.FromDays(2), crashes: 7)), Is.Zero);
    }

    [Test]
    public void CrashesAfter_NeverStarted_AddsOne()
    {
        var replica = Exited(TimeSpan.FromHours(1), crashes: 2) with { StartedAt = null };

        Assert.That(CrashBackoff.CrashesAfter(replica), Is.EqualTo(3));
    }

    [Test]
    public void CrashesAfter_NoFinishTime_AddsOne()
    {
        var replica = Exited(TimeSpan.FromHours(1), crashes: 0) with { FinishedAt = null };

        Assert.That(CrashBackoff.CrashesAfter(replica), Is.EqualTo(1));
    }

    [TestCase(10)]
    [TestCase(300)]
    public void WithJitter_ManyContainerIds_StaysWithinTenPercentAbove(int seconds)
    {
        var delay = TimeSpan.FromSeconds(seconds);
        var jittered = Enumerable.Range(0, 500).Select(i => CrashBackoff.WithJitter(delay, $"container-{i}")).ToList();

        Assert.That(jittered, Is.All.InRange(delay, delay * 1.1));
        Assert.That(jittered.Distinct().Count(), Is.GreaterThan(1), "jitter should spread containers apart");
    }

    [Test]
    public void WithJitter_SameContainerId_IsStable()
    {
        var delay = TimeSpan.FromSeconds(40);

        Assert.That(CrashBackoff.WithJitter(delay, "abc123"), Is.EqualTo(CrashBackoff.WithJitter(delay, "abc123")));
    }

    [TestCase("4f2a9c0e1b7d3e5a", 107_030)]
    [TestCase("container-1", 105_060)]
    public void WithJitter_KnownContainerId_IsTheSameInEveryProcess(string containerId, int milliseconds)
    {
        // The crash count survives a daemon restart in labels; the jitter must too, so it cannot
        // depend on the per-process randomized string hash.
        Assert.That(
            CrashBackoff.WithJitter(TimeSpan.FromSeconds(100), containerId),
            Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)).Within(TimeSpan.FromMilliseconds(1)));
    }

    [Test]
    public void WithJitter_ZeroDelay_StaysZero()
    {
        Assert.That(CrashBackoff.WithJitter(TimeSpan.Zero, "abc123"), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void RestartAt_FirstCrash_IsTheFinishTime()
    {
        Assert.That(CrashBackoff.RestartAt(Exited(TimeSpan.FromSeconds(3), crashes: 0)), Is.EqualTo(Finished));
    }

    [Test]
    public void RestartAt_SecondCrash_IsTenToElevenSecondsAfterFinish()
    {
        var restartAt = CrashBackoff.RestartAt(Exited(TimeSpan.FromSeconds(3), crashes: 1));

        Assert.That(restartAt, Is.InRange(Finished.AddSeconds(10), Finished.AddSeconds(11)));
    }

    [Test]
    public void RestartAt_ExitStampedAnHourAheadOfNow_AtMostItsDelayAfterNow()
    {
        // The wall clock stepped back an hour after the container exited: its exit lies "in the future".
        var now = Finished.AddHours(-1);

        var restartAt = CrashBackoff.RestartAt(Exited(TimeSpan.FromSeconds(3), crashes: 1), now);

        Assert.That(restartAt, Is.InRange(now.AddSeconds(10), now.AddSeconds(11)), "before: an hour and 10 s from now");
    }

    [Test]
    public void RestartAt_ExitInThePast_AsWithoutNow()
    {
        var replica = Exited(TimeSpan.FromSeconds(3), crashes: 2);

        Assert.That(CrashBackoff.RestartAt(replica, Finished.AddSeconds(5)), Is.EqualTo(CrashBackoff.RestartAt(replica)));
    }

    [Test]
    public void RestartAt_NoFinishTime_CountsFromCreated()
    {
        var created = Finished.AddMinutes(-30);
        var replica = Exited(TimeSpan.FromSeconds(3), crashes: 1) with { FinishedAt = null, Created = created };

        Assert.That(CrashBackoff.RestartAt(replica), Is.InRange(created.AddSeconds(10), created.AddSeconds(11)));
    }

    private static ObservedReplica Exited(TimeSpan ranFor, int crashes) => new()
    {
        ContainerId = "0123456789abcdef",
        ContainerName = "gradient-app-0-abcdef",
        Index = 0,
        SpecHash = "aaaaaaaaaaaa",
        Running = false,
        State = "exited",
        ExitCode = 1,
        Created = Finished - ranFor - TimeSpan.FromSeconds(1),
        StartedAt = Finished - ranFor,
        FinishedAt = Finished,
        Crashes = crashes,
    };
}
