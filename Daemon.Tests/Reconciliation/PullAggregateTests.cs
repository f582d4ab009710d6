using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class PullAggregateTests
{
    private const string Image = "registry:5000/ns/model:3";
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    [Test]
    public void Snapshot_SeveralLayersDownloading_SumsBytesAndCountsLayers()
    {
        var pull = new PullAggregate(Image, new FakeTimeProvider(), Interval, null);

        pull.Report(new PullProgress("Pulling from ns/model", "3", null, null));
        pull.Report(new PullProgress("Pulling fs layer", "a", null, null));
        pull.Report(new PullProgress("Pulling fs layer", "b", null, null));
        pull.Report(new PullProgress("Waiting", "c", null, null));
        pull.Report(new PullProgress("Downloading", "a", 1_000_000, 4_000_000));
        pull.Report(new PullProgress("Downloading", "b", 500_000, 2_000_000));
        pull.Report(new PullProgress("Downloading", "a", 3_000_000, 4_000_000));
        var status = pull.Snapshot();

        Assert.Multiple(() =>
        {
            Assert.That(status.Image, Is.EqualTo(Image));
            Assert.That(status.LayersTotal, Is.EqualTo(3), "the tag line 'Pulling from' is not a layer");
            Assert.That(status.LayersDone, Is.Zero);
            Assert.That(status.BytesDone, Is.EqualTo(3_500_000));
            Assert.That(status.BytesTotal, Is.EqualTo(6_000_000), "layer c has no known size yet");
        });
    }

    [Test]
    public void SinceActivity_WallClockStepsForwardTwoHours_CountsOnlyTheTimeThatPassed()
    {
        // The stall watchdog stops a pull with no activity for its timeout. Before, the last activity was a wall-clock
        // instant: a step forward made every running pull look stalled for two hours and it was stopped.
        var clock = new SteppingTimeProvider();
        var pull = new PullAggregate(Image, clock, Interval, null);
        pull.Report(new PullProgress("Downloading", "a", 1, 10));

        clock.Step(TimeSpan.FromHours(2));
        clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Multiple(() =>
        {
            Assert.That(pull.SinceActivity, Is.EqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(pull.Snapshot().StartedAt, Is.EqualTo(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)), "the start shown is wall time");
        });
    }

    [Test]
    public void Report_WallClockStepsBackAnHour_ProgressStillPublishedEachInterval()
    {
        var clock = new SteppingTimeProvider();
        var published = new List<PullStatus>();
        var pull = new PullAggregate(Image, clock, Interval, published.Add);
        pull.Report(new PullProgress("Downloading", "a", 1, 10));

        clock.Step(TimeSpan.FromHours(-1));
        clock.Advance(Interval);
        pull.Report(new PullProgress("Downloading", "a", 5, 10));

        Assert.That(published.Select(p => p.BytesDone), Is.EqualTo(new long[] { 1, 5 }), "before: nothing more for an hour");
    }

    [Test]
    public void Snapshot_UnknownTotals_AreLeftOutOfTheBytes()
    {
        var pull = new PullAggregate(Image, new FakeTimeProvider(), Interval, null);

        pull.Report(new PullProgress("Downloading", "a", 700, -1));
        pull.Report(new PullProgress("Downloading", "b", 300, 0));
        pull.Report(new PullProgress("Downloading", "c", 100, 1000));
        var status = pull.Snapshot();

        Assert.Multiple(() =>
        {
            Assert.That(status.LayersTotal, Is.EqualTo(3));
            Assert.That(status.BytesDone, Is.EqualTo(100));
            Assert.That(status.BytesTotal, Is.EqualTo(1000));
        });
    }

    [Test]
    public void Snapshot_AlreadyExistsAndPullComplete_CountAsDoneLayers()
    {
        var pull = new PullAggregate(Image, new FakeTimeProvider(), Interval, null);

        pull.Report(new PullProgress("Already exists", "base", null, null));
        pull.Report(new PullProgress("Downloading", "a", 10, 2000));
        pull.Report(new PullProgress("Verifying Checksum", "a", null, null));
        pull.Report(new PullProgress("Download complete", "a", null, null));
        pull.Report(new PullProgress("Extracting", "a", 1000, 2000));
        pull.Report(new PullProgress("Pull complete", "a", null, null));
        pull.Report(new PullProgress("Downloading", "b", 100, 3000));
        pull.Report(new PullProgress("Digest: sha256:0123", null, null, null));
        var status = pull.Snapshot();

        Assert.Multiple(() =>
        {
            Assert.That(status.LayersTotal, Is.EqualTo(3));
            Assert.That(status.LayersDone, Is.EqualTo(2));
            Assert.That(status.BytesDone, Is.EqualTo(2100), "a downloaded layer counts whole; one already present counts nothing");
            Assert.That(status.BytesTotal, Is.EqualTo(5000));
        });
    }

    [Test]
    public void Snapshot_LayerWithoutDownloadLines_TakesItsSizeFromExtracting()
    {
        var pull = new PullAggregate(Image, new FakeTimeProvider(), Interval, null);

        pull.Report(new PullProgress("Pulling fs layer", "tiny", null, null));
        pull.Report(new PullProgress("Download complete", "tiny", null, null));
        pull.Report(new PullProgress("Extracting", "tiny", 32, 125));
        pull.Report(new PullProgress("Pull complete", "tiny", null, null));
        var status = pull.Snapshot();

        Assert.Multiple(() =>
        {
            Assert.That(status.LayersDone, Is.EqualTo(1));
            Assert.That(status.BytesDone, Is.EqualTo(125));
            Assert.That(status.BytesTotal, Is.EqualTo(125));
        });
    }

    [Test]
    public void Report_ManyUpdatesWithinTheInterval_PublishesAtMostOncePerInterval()
    {
        var clock = new FakeTimeProvider();
        var published = new List<PullStatus>();
        var pull = new PullAggregate(Image, clock, Interval, published.Add);

        pull.Report(new PullProgress("Downloading", "a", 1, 100));
        clock.Advance(TimeSpan.FromMilliseconds(100));
        pull.Report(new PullProgress("Downloading", "a", 2, 100));
        clock.Advance(TimeSpan.FromMilliseconds(399));
        pull.Report(new PullProgress("Downloading", "a", 3, 100));
        var withinFirstInterval = published.Count;
        clock.Advance(TimeSpan.FromMilliseconds(1));
        pull.Report(new PullProgress("Downloading", "a", 4, 100));
        pull.Report(new PullProgress("Downloading", "a", 5, 100));

        Assert.Multiple(() =>
        {
            Assert.That(withinFirstInterval, Is.EqualTo(1));
            Assert.That(published.Select(p => p.BytesDone), Is.EqualTo(new long[] { 1, 4 }));
        });
    }

    [Test]
    public void Flush_AfterThrottledUpdates_PublishesTheLatestOnce()
    {
        var clock = new FakeTimeProvider();
        var published = new List<PullStatus>();
        var pull = new PullAggregate(Image, clock, Interval, published.Add);

        pull.Report(new PullProgress("Downloading", "a", 1, 100));
        pull.Report(new PullProgress("Pull complete", "a", null, null));
        pull.Flush();
        pull.Flush();

        Assert.Multiple(() =>
        {
            Assert.That(published, Has.Count.EqualTo(2));
            Assert.That(published[^1].BytesDone, Is.EqualTo(100));
            Assert.That(published[^1].LayersDone, Is.EqualTo(1));
        });
    }

    [Test]
    public void Report_LineWithoutLayer_PublishesNothing()
    {
        var published = new List<PullStatus>();
        var pull = new PullAggregate(Image, new FakeTimeProvider(), Interval, published.Add);

        pull.Report(new PullProgress("Pulling from ns/model", "3", null, null));
        pull.Report(new PullProgress("Status: Downloaded newer image for ns/model:3", null, null, null));

        Assert.That(published, Is.Empty);
    }
}
