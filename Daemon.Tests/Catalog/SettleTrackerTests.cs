using GradientNode.Core.Catalog;
using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

[TestFixture]
[Category("Unit")]
internal sealed class SettleTrackerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(400);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    private FileStamp Stamp(long length, TimeSpan modifiedAgo) =>
        new(_time.GetUtcNow() - modifiedAgo, new DateTimeOffset(2026, 12, 4, 11, 0, 0, TimeSpan.Zero), length, _time.GetUtcNow());

    [Test]
    public void IsSettled_FreshFileUnchangedForTheInterval_SettledOnlyThen()
    {
        var tracker = new SettleTracker(_time, Interval);
        var stamp = Stamp(100, TimeSpan.Zero);

        Assert.That(tracker.IsSettled("/s/a.yaml", stamp), Is.False, "just written");
        Assert.That(tracker.Pending, Is.EqualTo(1));
        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.That(tracker.IsSettled("/s/a.yaml", stamp), Is.False, "not yet the whole interval");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(tracker.IsSettled("/s/a.yaml", stamp), Is.True);
        Assert.That(tracker.Pending, Is.Zero);
    }

    [Test]
    public void IsSettled_FileGrowsWithinTheInterval_StartsOverFromTheNewStamp()
    {
        var tracker = new SettleTracker(_time, Interval);
        var first = Stamp(100, TimeSpan.Zero);
        Assert.That(tracker.IsSettled("/s/a.yaml", first), Is.False);
        _time.Advance(TimeSpan.FromMilliseconds(300));

        var grown = first with { Length = 200, Modified = _time.GetUtcNow() };
        Assert.That(tracker.IsSettled("/s/a.yaml", grown), Is.False, "the second half arrived: it starts over");
        _time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.That(tracker.IsSettled("/s/a.yaml", grown), Is.False, "600 ms after the first write, but only 300 after the last");
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.That(tracker.IsSettled("/s/a.yaml", grown), Is.True);
    }

    [Test]
    public void IsSettled_WallClockStepsBackAnHourWhileItSettles_SettledAfterTheInterval()
    {
        // The file was written just before NTP stepped the clock back: its stamp lies an hour "ahead". Before, the time it
        // was first seen was a wall-clock instant too, so the spec edit was not applied for an hour.
        var clock = new GradientNode.Tests.Infrastructure.SteppingTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        var tracker = new SettleTracker(clock, Interval);
        var stamp = new FileStamp(clock.GetUtcNow(), clock.GetUtcNow(), 100, clock.GetUtcNow());
        Assert.That(tracker.IsSettled("/s/a.yaml", stamp), Is.False, "just written");

        clock.Step(TimeSpan.FromHours(-1));
        clock.Advance(Interval);

        Assert.That(tracker.IsSettled("/s/a.yaml", stamp), Is.True, "unchanged for the interval");
    }

    [Test]
    public void IsSettled_ModifiedLongerAgoThanTheInterval_SettledAtOnce()
    {
        var tracker = new SettleTracker(_time, Interval);

        Assert.That(tracker.IsSettled("/s/old.yaml", Stamp(100, Interval)), Is.True, "a file left alone before the daemon looked needs no wait");
        Assert.That(tracker.Pending, Is.Zero);
    }

    [Test]
    public void IsSettled_ZeroInterval_SettledAtOnce()
    {
        Assert.That(new SettleTracker(_time, TimeSpan.Zero).IsSettled("/s/a.yaml", Stamp(1, TimeSpan.Zero)), Is.True);
    }

    [Test]
    public void Retain_FileGoneWhileUnsettled_NoLongerPending()
    {
        var tracker = new SettleTracker(_time, Interval);
        tracker.IsSettled("/s/a.yaml", Stamp(1, TimeSpan.Zero));
        tracker.IsSettled("/s/b.yaml", Stamp(1, TimeSpan.Zero));

        tracker.Retain(new HashSet<string>(["/s/b.yaml"]));

        Assert.That(tracker.Pending, Is.EqualTo(1));
    }
}
