using GradientNode.Core.Health;
using GradientNode.Core.Specs;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Health;

[TestFixture]
[Category("Unit")]
internal sealed class HealthMonitorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task Track_ProbeThrowsUnexpectedException_CountsAsFailedProbeAndTheLoopGoesOn()
    {
        var clock = new FakeTimeProvider(Start);
        var handler = new ThrowingHandler();
        using var runner = new ProbeRunner(new ScriptedPullEngine(), handler);
        using var monitor = new HealthMonitor(runner, clock, NullLogger<HealthMonitor>.Instance);
        var transitions = 0;
        monitor.Transition += _ => Interlocked.Increment(ref transitions);
        var readiness = new ProbeSpec { Path = "/ready", PeriodSeconds = 1, FailureThreshold = 1 };

        monitor.Track("web", "c0ffee000000", "10.0.0.2", 8080, Start, new HealthChecksSpec(null, readiness, null));
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(handler.Calls >= 1), TestTimeouts.Short, "the first probe");
        await TestTimeouts.WaitUntilAsync(
            () => Task.FromResult(monitor.Get("c0ffee000000")?.Readiness?.LastResult is not null),
            TestTimeouts.Short,
            "the faulted probe to be recorded");

        // The loop must still be alive: one period later the probe runs again.
        clock.Advance(TimeSpan.FromSeconds(1));
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(handler.Calls >= 2), TestTimeouts.Short, "the next probe");

        var snapshot = monitor.Get("c0ffee000000");
        Assert.Multiple(() =>
        {
            Assert.That(handler.Calls, Is.GreaterThanOrEqualTo(2), "the probe loop survived the exception");
            Assert.That(snapshot?.Health, Is.EqualTo(ReplicaHealth.NotReady));
            Assert.That(snapshot?.Readiness?.LastMessage, Does.Contain("InvalidOperationException").And.Contain("boom"));
        });
    }

    [Test]
    public async Task Track_WallClockStepsBackAnHour_NextProbeStillOnePeriodLater()
    {
        // Before, each wait was the next due time minus the wall clock: after a step back of an hour no probe ran for an
        // hour, so a replica that hung stayed ready. The shown time of the last probe stays wall time.
        var clock = new SteppingTimeProvider(Start);
        var handler = new ThrowingHandler();
        using var runner = new ProbeRunner(new ScriptedPullEngine(), handler);
        using var monitor = new HealthMonitor(runner, clock, NullLogger<HealthMonitor>.Instance);
        var readiness = new ProbeSpec { Path = "/ready", PeriodSeconds = 10, FailureThreshold = 1 };
        monitor.Track("web", "c0ffee000000", "10.0.0.2", 8080, Start, new HealthChecksSpec(null, readiness, null));
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(monitor.Get("c0ffee000000")?.Readiness?.LastResult is not null), TestTimeouts.Short, "the first probe");

        clock.Step(TimeSpan.FromHours(-1));
        await TestTimeouts.WaitUntilAsync(
            () =>
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                return Task.FromResult(handler.Calls >= 2);
            },
            TestTimeouts.Short,
            "the next probe, a period later");

        Assert.That(monitor.Get("c0ffee000000")?.Readiness?.LastProbedAt, Is.LessThan(Start), "shown on the wall clock, which now reads an hour earlier");
    }

    /// <summary>A probe transport that fails in a way <see cref="ProbeRunner"/> does not expect.</summary>
    private sealed class ThrowingHandler : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            throw new InvalidOperationException("boom");
        }
    }
}
