using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class PullProgressTrackerTests
{
    [Test]
    public void Begin_NewPull_PublishesEmptyProgressWhileTracked()
    {
        var clock = new FakeTimeProvider();
        var tracker = new PullProgressTracker(clock);
        PullStatus? seenInCallback = null;

        tracker.Begin("hello", "ns/hello:1", _ => seenInCallback = tracker.Get("hello"));

        Assert.That(seenInCallback, Is.EqualTo(new PullStatus { Image = "ns/hello:1", StartedAt = clock.GetUtcNow() }));
    }

    [Test]
    public void Get_DuringPull_ReportsProgressOfThatSlugOnly()
    {
        var tracker = new PullProgressTracker(new FakeTimeProvider());
        var pull = tracker.Begin("hello", "ns/hello:1", null);

        pull.Report(new PullProgress("Downloading", "a", 5, 10));

        Assert.Multiple(() =>
        {
            Assert.That(tracker.Get("hello")?.BytesDone, Is.EqualTo(5));
            Assert.That(tracker.Get("other"), Is.Null);
        });
    }

    [Test]
    public void End_AfterPull_ClearsProgress()
    {
        var tracker = new PullProgressTracker(new FakeTimeProvider());
        var pull = tracker.Begin("hello", "ns/hello:1", null);

        tracker.End("hello", pull);

        Assert.That(tracker.Get("hello"), Is.Null);
    }

    [Test]
    public void End_OfAnOlderPull_KeepsTheNewerOne()
    {
        var tracker = new PullProgressTracker(new FakeTimeProvider());
        var older = tracker.Begin("hello", "ns/hello:1", null);
        tracker.Begin("hello", "ns/hello:2", null);

        tracker.End("hello", older);

        Assert.That(tracker.Get("hello")?.Image, Is.EqualTo("ns/hello:2"));
    }

    [Test]
    public void Begin_DefaultInterval_IsHalfASecond()
    {
        var tracker = new PullProgressTracker(new FakeTimeProvider());

        Assert.That(tracker.PublishInterval, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
    }
}
