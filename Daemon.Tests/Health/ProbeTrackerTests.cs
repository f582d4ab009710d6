using GradientNode.Core.Health;
using GradientNode.Core.Specs;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Health;

[TestFixture]
[Category("Unit")]
internal sealed class ProbeTrackerTests
{
    private static readonly ProbeResult Pass = ProbeResult.Ok("200 OK");
    private static readonly ProbeResult Fail = ProbeResult.Fail("httpStatus", "503 Service Unavailable");

    [Test]
    public void NextDue_Defaults_FirstProbeAtStartThenEveryTenSeconds()
    {
        var clock = new FakeTimeProvider();
        var tracker = new ProbeTracker(Checks(readiness: Probe()), clock.GetUtcNow());

        Assert.That(tracker.NextDue(), Is.EqualTo(clock.GetUtcNow()));
        tracker.Record(ProbeType.Readiness, Pass, clock.GetUtcNow());

        Assert.That(tracker.NextDue(), Is.EqualTo(clock.GetUtcNow() + TimeSpan.FromSeconds(10)));
    }

    [Test]
    public void Due_InitialDelay_NothingDueBeforeIt()
    {
        var clock = new FakeTimeProvider();
        var tracker = new ProbeTracker(Checks(liveness: Probe(initialDelay: 5)), clock.GetUtcNow());

        clock.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.That(tracker.Due(clock.GetUtcNow()), Is.Empty);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(tracker.Due(clock.GetUtcNow()), Is.EqualTo(new[] { ProbeType.Liveness }));
    }

    [Test]
    public void Health_ReadinessNotYetProbed_IsNotReady()
    {
        var tracker = new ProbeTracker(Checks(readiness: Probe()), Start);

        Assert.That(tracker.Health, Is.EqualTo(ReplicaHealth.NotReady));
    }

    [Test]
    public void Record_ReadinessOneSuccess_IsReady()
    {
        var tracker = new ProbeTracker(Checks(readiness: Probe()), Start);

        Assert.That(tracker.Record(ProbeType.Readiness, Pass, Start), Is.True);
        Assert.That(tracker.Health, Is.EqualTo(ReplicaHealth.Ready));
    }

    [Test]
    public void Record_ReadinessFailuresBelowThreshold_StaysReadyThenNotReadyAtThreshold()
    {
        var clock = new FakeTimeProvider();
        var tracker = new ProbeTracker(Checks(readiness: Probe(threshold: 3)), clock.GetUtcNow());
        tracker.Record(ProbeType.Readiness, Pass, clock.GetUtcNow());

        tracker.Record(ProbeType.Readiness, Fail, clock.GetUtcNow());
        tracker.Record(ProbeType.Readiness, Fail, clock.GetUtcNow());
        Assert.That(tracker.Health, Is.EqualTo(ReplicaHealth.Ready));
        tracker.Record(ProbeType.Readiness, Fail, clock.GetUtcNow());

        Assert.That(tracker.Health, Is.EqualTo(ReplicaHealth.NotReady));
        Assert.That(tracker.Status(ProbeType.Readiness)!.ConsecutiveFailures, Is.EqualTo(3));
    }

    [Test]
    public void Record_ReadinessSuccessAfterFailures_BackInRotationAndCountReset()
    {
        var tracker = new ProbeTracker(Checks(readiness: Probe(threshold: 1)), Start);
        tracker.Record(ProbeType.Readiness, Fail, Start);
        Assert.That(tracker.Health, Is.EqualTo(ReplicaHealth.NotReady));

        tracker.Record(ProbeType.Readiness, Pass, Start);

        Assert.That(tracker.Health, Is.EqualTo(ReplicaHealth.Ready));
        Assert.That(tracker.Status(ProbeType.Readiness)!.ConsecutiveFailures, Is.Zero);
    }

    [Test]
    public void Record_ReadinessFailsRepeatedly_NeverRestarts()
    {
        var tracker = new ProbeTracker(Checks(readiness: Probe(threshold: 1)), Start);
        for (var i = 0; i < 100; i++)
        {
            tracker.Record(ProbeType.Readiness, Fail, Start + TimeSpan.FromSeconds(i * 10));
        }

        Assert.That(tracker.Health, Is.EqualTo(ReplicaHealth.NotReady));
        Assert.That(tracker.RestartReason, Is.Null);
    }

    [Test]
    public void Record_LivenessFailsThreshold_MustRestartWithReasonAndNoMoreProbes()
    {
        var tracker = new ProbeTracker(Checks(liveness: Probe(threshold: 2)), Start);
        tracker.Record(ProbeType.Liveness, Fail, Start);
        Assert.That(tracker.Health, Is.EqualTo(ReplicaHealth.Ready));

        Assert.That(tracker.Record(ProbeType.Liveness, Fail, Start + TimeSpan.FromSeconds(10)), Is.True);

        Assert.That(tracker.Health, Is.EqualTo(ReplicaHealth.MustRestart));
        Assert.That(tracker.RestartReason, Does.Contain("liveness probe failed 2 times").And.Contain("503"));
        Assert.That(tracker.NextDue(), Is.Null);
    }

    [Test]
    public void Record_LivenessFailureInterruptedBySuccess_CountStartsOver()
    {
        var tracker = new ProbeTracker(Checks(liveness: Probe(threshold: 2)), Start);
        tracker.Record(ProbeType.Liveness, Fail, Start);
        tracker.Record(ProbeType.Liveness, Pass, Start);
        tracker.Record(ProbeType.Liveness, Fail, Start);

        Assert.That(tracker.Health, Is.EqualTo(ReplicaHealth.Ready));
    }

    [Test]
    public void Due_StartupProbe_GatesLivenessAndReadinessUntilItPasses()
    {
        var clock = new FakeTimeProvider();
        var tracker = new ProbeTracker(Checks(readiness: Probe(), liveness: Probe(), startup: Probe(period: 1, threshold: 30)), clock.GetUtcNow());

        for (var i = 0; i < 5; i++)
        {
            Assert.That(tracker.Due(clock.GetUtcNow()), Is.EqualTo(new[] { ProbeType.Startup }));
            tracker.Record(ProbeType.Startup, Fail, clock.GetUtcNow());
            Assert.That(tracker.Health, Is.EqualTo(ReplicaHealth.Starting));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        tracker.Record(ProbeType.Startup, Pass, clock.GetUtcNow());

        Assert.That(tracker.Due(clock.GetUtcNow()), Is.EquivalentTo(new[] { ProbeType.Readiness, ProbeType.Liveness }));
        Assert.That(tracker.Health, Is.EqualTo(ReplicaHealth.NotReady));
    }

    [Test]
    public void Record_StartupFailsThreshold_MustRestart()
    {
        var clock = new FakeTimeProvider();
        var tracker = new ProbeTracker(Checks(startup: Probe(period: 10, threshold: 6)), clock.GetUtcNow());

        for (var i = 0; i < 6; i++)
        {
            Assert.That(tracker.NextDue(), Is.EqualTo(clock.GetUtcNow()));
            tracker.Record(ProbeType.Startup, Fail, clock.GetUtcNow());
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.That(tracker.Health, Is.EqualTo(ReplicaHealth.MustRestart));
        Assert.That(tracker.RestartReason, Does.StartWith("startup probe failed 6 times"));
    }

    [Test]
    public void Record_StartupPassedOnce_IsNeverProbedAgain()
    {
        var tracker = new ProbeTracker(Checks(startup: Probe()), Start);
        tracker.Record(ProbeType.Startup, Pass, Start);

        Assert.That(tracker.NextDue(), Is.Null);
        Assert.That(tracker.Health, Is.EqualTo(ReplicaHealth.Ready));
    }

    [Test]
    public void NextDue_LivenessInitialDelayLongerThanStartup_WaitsForItsOwnDelay()
    {
        var tracker = new ProbeTracker(Checks(liveness: Probe(initialDelay: 30), startup: Probe()), Start);
        tracker.Record(ProbeType.Startup, Pass, Start + TimeSpan.FromSeconds(2));

        Assert.That(tracker.NextDue(), Is.EqualTo(Start + TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void Health_NoReadinessProbe_ReadyMeansAliveAndTcpDecides()
    {
        var tracker = new ProbeTracker(Checks(liveness: Probe()), Start);

        Assert.That(tracker.HasReadinessProbe, Is.False);
        Assert.That(tracker.Health, Is.EqualTo(ReplicaHealth.Ready));
    }

    [TestCase("connectionRefused", "connection refused on 10.0.0.2:9999", "nothing listens")]
    [TestCase("httpStatus", "404 Not Found from GET /nope on port 8080", "does not exist")]
    public void Record_PermanentLookingFailure_CarriesHint(string result, string message, string hint)
    {
        var tracker = new ProbeTracker(Checks(readiness: Probe()), Start);

        tracker.Record(ProbeType.Readiness, ProbeResult.Fail(result, message), Start);

        Assert.That(tracker.Status(ProbeType.Readiness)!.Hint, Does.Contain(hint));
        Assert.That(tracker.Status(ProbeType.Readiness)!.LastResult, Is.EqualTo(result));
    }

    [Test]
    public void Record_PeriodFromProbeStart_NotFromItsEnd()
    {
        var tracker = new ProbeTracker(Checks(readiness: Probe(period: 5)), Start);

        tracker.Record(ProbeType.Readiness, ProbeResult.Fail("timeout", "timed out"), Start);

        Assert.That(tracker.NextDue(), Is.EqualTo(Start + TimeSpan.FromSeconds(5)));
    }

    private static DateTimeOffset Start => new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ProbeSpec Probe(int initialDelay = 0, int period = 10, int threshold = 3) =>
        new() { Path = "/healthz", InitialDelaySeconds = initialDelay, PeriodSeconds = period, FailureThreshold = threshold };

    private static HealthChecksSpec Checks(ProbeSpec? readiness = null, ProbeSpec? liveness = null, ProbeSpec? startup = null) =>
        new(liveness, readiness, startup);
}
