using GradientNode.Core.Engine;
using GradientNode.Daemon.Api;
using GradientNode.Tests.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class JobLogPollTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 5, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task ReadRecentAsync_FewNewLines_AsksForTheLogsEndNotTheWholeLog()
    {
        // A long-running job: 50,000 old lines, 3 in the last second. dockerd would decode all of them for a `since` alone.
        var engine = new RecordingEngine { TimedLog = [.. Lines(50_000, Start), .. Lines(3, Start.AddHours(1))] };

        var lines = await JobLogPoll.ReadRecentAsync(engine, "c1", Start.AddHours(1), alreadyShown: 0, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(lines!.Select(l => l.Text), Is.EqualTo(new[] { "line 0", "line 1", "line 2" }));
            Assert.That(engine.LogReads.Select(o => o.Tail), Is.EqualTo(new int?[] { JobLogPoll.FirstTail }), "one read of the log's end");
        });
    }

    [Test]
    public async Task ReadRecentAsync_MoreNewLinesThanTheFirstTail_AsksForMoreUntilNoneIsMissing()
    {
        var engine = new RecordingEngine { TimedLog = [.. Lines(100, Start), .. Lines(5_000, Start.AddSeconds(10))] };

        var lines = await JobLogPoll.ReadRecentAsync(engine, "c1", Start.AddSeconds(10), alreadyShown: 0, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Count.EqualTo(5_000));
            Assert.That(lines![0].Text, Is.EqualTo("line 0"), "from the first line since then");
            Assert.That(engine.LogReads.Select(o => o.Tail), Is.EqualTo(new int?[] { 1_000, 4_000, 16_000 }));
        });
    }

    [Test]
    public async Task ReadRecentAsync_MoreTextThanItHolds_NullSoTheWholeLogIsStreamed()
    {
        var big = new string('x', 1 << 20);
        var engine = new RecordingEngine { TimedLog = [.. Enumerable.Range(0, 8).Select(i => new LogLine(LogStream.Stdout, big, Start))] };

        var lines = await JobLogPoll.ReadRecentAsync(engine, "c1", Start, alreadyShown: 0, CancellationToken.None);

        Assert.That(lines, Is.Null);
    }

    private static IEnumerable<LogLine> Lines(int count, DateTimeOffset at) =>
        Enumerable.Range(0, count).Select(i => new LogLine(LogStream.Stdout, $"line {i}", at));
}
