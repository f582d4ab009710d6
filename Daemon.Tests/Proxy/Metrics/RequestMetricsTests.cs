using GradientNode.Proxy.Metrics;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Metrics;

[TestFixture]
[Category("Unit")]
internal sealed class RequestMetricsTests
{
    [Test]
    public void Record_Statuses_CountsByClass()
    {
        var time = new FakeTimeProvider();
        var metrics = new RequestMetrics(time);

        foreach (var status in new[] { 101, 200, 204, 302, 404, 401, 500, 503, 0 })
        {
            metrics.Record(status, TimeSpan.FromMilliseconds(1), time.GetTimestamp());
        }

        var stats = metrics.Snapshot();
        Assert.That((stats.Status1xx, stats.Status2xx, stats.Status3xx, stats.Status4xx, stats.Status5xx), Is.EqualTo((2L, 2L, 1L, 2L, 2L)));
        Assert.That(stats.Requests, Is.EqualTo(9));
    }

    [Test]
    public void Record_Durations_FillHistogramBuckets()
    {
        var time = new FakeTimeProvider();
        var metrics = new RequestMetrics(time);

        metrics.Record(200, TimeSpan.FromMilliseconds(3), time.GetTimestamp());
        metrics.Record(200, TimeSpan.FromSeconds(0.2), time.GetTimestamp());
        metrics.Record(200, TimeSpan.FromMinutes(10), time.GetTimestamp());

        var stats = metrics.Snapshot();
        Assert.That(stats.DurationBuckets[0], Is.EqualTo(1));
        Assert.That(stats.DurationBuckets[Array.IndexOf(DurationBuckets.BoundsSeconds, 0.25)], Is.EqualTo(1));
        Assert.That(stats.DurationBuckets[^1], Is.EqualTo(1));
        Assert.That(stats.DurationSumSeconds, Is.EqualTo(600.203).Within(1e-9));
    }

    [Test]
    public void Snapshot_OneAndFiveMinuteWindows_AverageOnlyRecentRequests()
    {
        var time = new FakeTimeProvider();
        var metrics = new RequestMetrics(time);
        metrics.Record(200, TimeSpan.FromSeconds(4), time.GetTimestamp());
        time.Advance(TimeSpan.FromMinutes(2));
        metrics.Record(200, TimeSpan.FromSeconds(1), time.GetTimestamp());
        metrics.Record(200, TimeSpan.FromSeconds(2), time.GetTimestamp());

        var stats = metrics.Snapshot();
        Assert.That(stats.Requests1m, Is.EqualTo(2));
        Assert.That(stats.AverageDurationSeconds1m, Is.EqualTo(1.5).Within(1e-9));
        Assert.That(stats.Requests5m, Is.EqualTo(3));
        Assert.That(stats.AverageDurationSeconds5m, Is.EqualTo(7.0 / 3).Within(1e-9));

        time.Advance(TimeSpan.FromMinutes(4));
        stats = metrics.Snapshot();
        Assert.That(stats.AverageDurationSeconds1m, Is.Null);
        Assert.That(stats.AverageDurationSeconds5m, Is.EqualTo(1.5).Within(1e-9));

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.That(metrics.Snapshot().AverageDurationSeconds5m, Is.Null);
        Assert.That(metrics.Snapshot().Requests, Is.EqualTo(3));
    }

    [Test]
    public void Snapshot_WithQuantiles_CarriesP50AndP99OfTheLastMinute()
    {
        var time = new FakeTimeProvider();
        var metrics = new RequestMetrics(time, quantiles: true);
        for (var i = 0; i < 99; i++)
        {
            metrics.Record(200, TimeSpan.FromMilliseconds(20), time.GetTimestamp());
        }

        metrics.Record(200, TimeSpan.FromSeconds(2), time.GetTimestamp());

        var stats = metrics.Snapshot();
        Assert.That(stats.P50DurationSeconds1m, Is.EqualTo(0.02).Within(12.5).Percent);
        Assert.That(stats.P99DurationSeconds1m, Is.EqualTo(0.02).Within(12.5).Percent);
        metrics.Record(200, TimeSpan.FromSeconds(2), time.GetTimestamp());
        Assert.That(metrics.Snapshot().P99DurationSeconds1m, Is.EqualTo(2).Within(12.5).Percent);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.That(metrics.Snapshot().P50DurationSeconds1m, Is.Null);
    }

    [Test]
    public void Record_WithQuantiles_AllocatesNothingPerRequest()
    {
        var time = new FakeTimeProvider();
        var metrics = new RequestMetrics(time, quantiles: true);
        var end = time.GetTimestamp();
        metrics.Record(200, TimeSpan.FromMilliseconds(5), end);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            metrics.Record(200, TimeSpan.FromTicks(i * 997), end + (i * time.TimestampFrequency / 100));
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void Snapshot_WithoutQuantiles_HasNoPercentiles()
    {
        var time = new FakeTimeProvider();
        var metrics = new RequestMetrics(time);
        metrics.Record(200, TimeSpan.FromMilliseconds(20), time.GetTimestamp());

        Assert.That(metrics.Snapshot().P50DurationSeconds1m, Is.Null);
    }

    [Test]
    public void Record_AfterRingWrapsAround_ResetsReusedSlot()
    {
        var time = new FakeTimeProvider();
        var metrics = new RequestMetrics(time);
        metrics.Record(200, TimeSpan.FromSeconds(9), time.GetTimestamp());
        time.Advance(TimeSpan.FromSeconds(SlidingWindow.Slots));
        metrics.Record(200, TimeSpan.FromSeconds(1), time.GetTimestamp());

        var stats = metrics.Snapshot();
        Assert.That(stats.Requests5m, Is.EqualTo(1));
        Assert.That(stats.AverageDurationSeconds5m, Is.EqualTo(1.0).Within(1e-9));
    }

    [Test]
    public void EnterExit_InFlight_IsTracked()
    {
        var metrics = new RequestMetrics(new FakeTimeProvider());
        metrics.Enter();
        metrics.Enter();
        metrics.Exit();

        Assert.That(metrics.Snapshot().InFlight, Is.EqualTo(1));
    }
}
