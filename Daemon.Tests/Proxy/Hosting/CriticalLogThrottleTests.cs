using GradientNode.Proxy.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Hosting;

[TestFixture]
[Category("Unit")]
internal sealed class CriticalLogThrottleTests
{
    [Test]
    public void Allow_CriticalLinesInAFlood_OneAMinuteEachAskedTwice()
    {
        var clock = new FakeTimeProvider();
        var throttle = new CriticalLogThrottle(clock);

        var first = Enumerable.Range(0, CriticalLogThrottle.CallsPerInterval).Select(_ => throttle.Allow(LogLevel.Critical)).ToList(); // a line asks 2-3 times
        clock.Advance(TimeSpan.FromSeconds(1));
        var later = throttle.Allow(LogLevel.Critical);
        clock.Advance(TimeSpan.FromSeconds(59));
        var nextMinute = throttle.Allow(LogLevel.Critical);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.All.True, "the first line (or two) of a minute is written");
            Assert.That(later, Is.False, "the next ones within the minute are not");
            Assert.That(nextMinute, Is.True, "one a minute while the flood goes on");
        });
    }

    [Test]
    public void Allow_WallClockStepsBackAnHour_TheNextMinuteStillLetsALineThrough()
    {
        // Before, the window was a wall-clock instant: after a step back of an hour every critical line was dropped for an hour.
        var clock = new GradientNode.Tests.Infrastructure.SteppingTimeProvider();
        var throttle = new CriticalLogThrottle(clock);
        var first = Enumerable.Range(0, CriticalLogThrottle.CallsPerInterval).Select(_ => throttle.Allow(LogLevel.Critical)).ToList();

        clock.Step(TimeSpan.FromHours(-1));
        clock.Advance(CriticalLogThrottle.Interval);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.All.True);
            Assert.That(throttle.Allow(LogLevel.Critical), Is.True, "a minute passed, whatever the wall clock says");
        });
    }

    [TestCase(LogLevel.Warning, true)]
    [TestCase(LogLevel.Error, true)]
    [TestCase(LogLevel.Information, false)]
    [TestCase(LogLevel.Debug, false)]
    public void Allow_OtherLevels_WarningAndErrorAlwaysBelowNever(LogLevel level, bool expected)
    {
        var throttle = new CriticalLogThrottle(new FakeTimeProvider());
        throttle.Allow(LogLevel.Critical);

        Assert.That(throttle.Allow(level), Is.EqualTo(expected));
    }
}
