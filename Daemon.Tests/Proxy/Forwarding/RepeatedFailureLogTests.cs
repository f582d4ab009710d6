using GradientNode.Proxy;
using GradientNode.Proxy.Forwarding;
using Microsoft.Extensions.Time.Testing;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Forwarding;

[TestFixture]
[Category("Unit")]
internal sealed class RepeatedFailureLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);

    [Test]
    public void ShouldLog_FailureEveryFiveSecondsForThreeMinutes_FirstThenOnceAMinuteWithHowManyMore()
    {
        var time = new FakeTimeProvider(Start);
        var log = new RepeatedFailureLog(time);
        var written = new List<(TimeSpan At, string Repeats)>();

        for (var i = 0; i <= 36; i++)
        {
            if (log.ShouldLog("web", ProxyLogEvents.ReplicaConnectFailedAll, out var repeats))
            {
                written.Add((time.GetUtcNow() - Start, repeats));
            }

            time.Advance(TimeSpan.FromSeconds(5));
        }

        // Before (faults15): every failure was a line, about 3 every 5 s per deployment while its replicas were dead.
        Assert.That(written, Is.EqualTo(new[]
        {
            (TimeSpan.Zero, string.Empty),
            (TimeSpan.FromMinutes(1), "; 11 more since 15:00:00Z (logged at most once a minute per deployment)"),
            (TimeSpan.FromMinutes(2), "; 11 more since 15:01:00Z (logged at most once a minute per deployment)"),
            (TimeSpan.FromMinutes(3), "; 11 more since 15:02:00Z (logged at most once a minute per deployment)"),
        }));
    }

    [Test]
    public void ShouldLog_OtherDeploymentEventOrReplica_CountedApart()
    {
        var time = new FakeTimeProvider(Start);
        var log = new RepeatedFailureLog(time);

        var first = log.ShouldLog("web", ProxyLogEvents.ForwardFailedAtReplica, out _);
        var again = log.ShouldLog("web", ProxyLogEvents.ForwardFailedAtReplica, out _);
        var otherDeployment = log.ShouldLog("api", ProxyLogEvents.ForwardFailedAtReplica, out _);
        var otherEvent = log.ShouldLog("web", ProxyLogEvents.ReplicaOutOfRotation, out _, "web-0");
        var otherReplica = log.ShouldLog("web", ProxyLogEvents.ReplicaOutOfRotation, out _, "web-1");
        var sameReplica = log.ShouldLog("web", ProxyLogEvents.ReplicaOutOfRotation, out _, "web-1");

        Assert.That((first, again, otherDeployment, otherEvent, otherReplica, sameReplica), Is.EqualTo((true, false, true, true, true, false)));
    }

    [Test]
    public void ShouldLog_WallClockStepsBackAnHour_StillOnceAMinute()
    {
        var time = new SteppingTimeProvider(Start);
        var log = new RepeatedFailureLog(time);
        log.ShouldLog("web", ProxyLogEvents.ForwardFailedAtReplica, out _);
        time.Step(TimeSpan.FromHours(-1));
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.That(log.ShouldLog("web", ProxyLogEvents.ForwardFailedAtReplica, out var repeats), Is.True, "the monotonic clock counts the minute");
        Assert.That(repeats, Is.Empty, "nothing left out in between");
    }
}
