using GradientNode.Core.Traffic;
using GradientNode.Proxy;
using GradientNode.Proxy.Metrics;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Metrics;

/// <summary>
/// When <c>proxy-stats.json</c> is written (issue 20, idle cost), on a fake clock that counts live timers: at rest once and no
/// timer; the first request wakes the writer at once; while requests are in the 5-minute window, every interval.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class TrafficFileWriterTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private string _runDir = null!;
    private TimerCountingTimeProvider _clock = null!;
    private ProxyMetrics _metrics = null!;
    private TrafficFileWriter _writer = null!;

    [SetUp]
    public void SetUp()
    {
        _runDir = Directory.CreateTempSubdirectory("gn-traffic-writer-").FullName;
        _clock = new TimerCountingTimeProvider(new FakeTimeProvider());
        _metrics = new ProxyMetrics(_clock);
        _metrics.Deployment("web");
        var options = new ProxyOptions { RunDir = _runDir, TimeProvider = _clock, StatsWriteInterval = Interval };
        _writer = new TrafficFileWriter(_metrics, options, NullLogger<TrafficFileWriter>.Instance);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _writer.StopAsync(CancellationToken.None);
        _writer.Dispose();
        Directory.Delete(_runDir, recursive: true);
    }

    [Test]
    public async Task ExecuteAsync_NoRequest_WritesOnceAtRestAndKeepsNoTimer()
    {
        await _writer.StartAsync(CancellationToken.None);
        await TestTimeouts.WaitUntilAsync(() => _writer.Writes == 1, "the first write");

        Assert.That(_clock.ActiveTimers, Is.Zero, "an idle proxy waits for a request, not for a clock");
        for (var i = 0; i < 30; i++)
        {
            _clock.Fake.Advance(Interval);
        }

        Assert.That(_writer.Writes, Is.EqualTo(1), "a minute of idle rewrites nothing");
        Assert.That(Read().IsAtRest(), Is.True);
    }

    [Test]
    public async Task ExecuteAsync_FirstRequestAfterRest_WritesAtOnceWithoutTheClockMoving()
    {
        await _writer.StartAsync(CancellationToken.None);
        await TestTimeouts.WaitUntilAsync(() => _writer.Writes == 1, "the first write");

        _metrics.Deployment("web").Forwarded.Enter();

        await TestTimeouts.WaitUntilAsync(() => TrafficFile.TryRead(_runDir, out _)?.Deployments.Single().Forwarded.InFlight == 1, "the request in flight in the file");
        Assert.That(_writer.Writes, Is.EqualTo(2));
        await TestTimeouts.WaitUntilAsync(() => _clock.ActiveTimers == 1, "the writer ticking again while the request is in flight");
    }

    [Test]
    public async Task ExecuteAsync_RequestInTheWindow_WritesEveryIntervalUntilTheWindowEmptiesThenRests()
    {
        await _writer.StartAsync(CancellationToken.None);
        await TestTimeouts.WaitUntilAsync(() => _writer.Writes == 1, "the first write");
        var forwarded = _metrics.Deployment("web").Forwarded;
        forwarded.Enter();
        forwarded.Exit();
        forwarded.Record(200, TimeSpan.FromMilliseconds(5), _clock.GetTimestamp());
        await TestTimeouts.WaitUntilAsync(() => _writer.Writes == 2 && _clock.ActiveTimers == 1, "the wake-up write, then a tick armed");

        _clock.Fake.Advance(Interval);
        await TestTimeouts.WaitUntilAsync(() => _writer.Writes == 3 && _clock.ActiveTimers == 1, "a write one interval later (the 1 m / 5 m windows decay)");
        Assert.That(Read().IsAtRest(), Is.False);

        _clock.Fake.Advance(TimeSpan.FromMinutes(5));
        await TestTimeouts.WaitUntilAsync(() => _writer.Writes == 4 && _clock.ActiveTimers == 0, "a last write at rest once the 5-minute window is empty");
        Assert.That(Read().IsAtRest(), Is.True);
        Assert.That(Read().Deployments.Single().Forwarded.Requests, Is.EqualTo(1), "the counter since start stays");
    }

    private TrafficSnapshot Read() => TrafficFile.TryRead(_runDir, out var error) ?? throw new AssertionException(error ?? "no proxy-stats.json");
}
