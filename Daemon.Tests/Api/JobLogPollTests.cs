using GradientNode.Core.Engine;
using GradientNode.Daemon.Api;
using GradientNode.Tests.Infrastructure;
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

    [Test]
    public async Task ReadRecentAsync_MoreEmptyLinesThanItHolds_NullSoTheWholeLogIsStreamed()
    {
        // Counted by their text, 200,000 empty lines cost nothing and were all held at every read (each second, per job).
        var engine = new RecordingEngine { TimedLog = [.. Enumerable.Range(0, 200_000).Select(_ => new LogLine(LogStream.Stdout, string.Empty, Start))] };

        var lines = await JobLogPoll.ReadRecentAsync(engine, "c1", Start, alreadyShown: 0, CancellationToken.None);

        Assert.That(lines, Is.Null);
    }

    [Test]
    public async Task RunAsync_TailOfLinesLoggedInOneSecond_TheLastLinesThenOnlyNewOnesNotThoseBeforeTheTail()
    {
        // ?tail=2&follow=true on a run of several jobs: the next read asks from a second before the latest line shown, so
        // it returns the 3 lines of that second before the tail too; they were read, not shown, and must not come now.
        var engine = new RecordingEngine { TimedLog = [.. Lines(5, Start)] };
        var clock = new TimerCountingTimeProvider(new FakeTimeProvider(Start));
        var state = "running";
        var shown = new List<string>();
        var poll = JobLogPoll.RunAsync(
            engine,
            "c1",
            _ => Task.FromResult<ContainerSummary?>(new ContainerSummary("c1", "gn-wf-w-1-a", "img", new Dictionary<string, string>(), state, state, Start)),
            text =>
            {
                shown.Add(text);
                return ValueTask.CompletedTask;
            },
            clock,
            CancellationToken.None,
            tail: 2);
        await TestTimeouts.WaitUntilAsync(() => clock.ActiveTimers == 1, "the first pass, parked on its next wait");
        var first = shown.ToList();
        engine.TimedLog.Add(new LogLine(LogStream.Stdout, "late", Start));
        state = "exited";
        clock.Fake.Advance(JobLogPoll.Interval);
        var ended = await poll;

        Assert.Multiple(() =>
        {
            Assert.That(ended, Is.True);
            Assert.That(first, Is.EqualTo(new[] { "line 3", "line 4" }));
            Assert.That(shown, Is.EqualTo(new[] { "line 3", "line 4", "late" }));
        });
    }

    [Test]
    public async Task RunAsync_TailOfMoreTextThanItHolds_TheLastLinesThatFitAfterALineSayingHowManyAreNotShown()
    {
        // ?tail=2147483647&follow=true on a run of several jobs: the first read held every line of the job's log (30 MB by
        // default, per job and per follow) to show the last N. Now at most MostChars of text is held.
        var engine = new RecordingEngine { TimedLog = [.. Enumerable.Range(0, 6).Select(i => new LogLine(LogStream.Stdout, new string((char)('a' + i), 1 << 20), Start))] };
        var shown = new List<string>();

        var ended = await JobLogPoll.RunAsync(
            engine,
            "c1",
            _ => Task.FromResult<ContainerSummary?>(new ContainerSummary("c1", "gn-wf-w-1-a", "img", new Dictionary<string, string>(), "exited", "exited", Start)),
            text =>
            {
                shown.Add(text);
                return ValueTask.CompletedTask;
            },
            TimeProvider.System,
            CancellationToken.None,
            tail: int.MaxValue);

        Assert.Multiple(() =>
        {
            Assert.That(ended, Is.True);
            Assert.That(shown.Select(t => t.Length > 1000 ? $"{t[0]} x {t.Length}" : t), Is.EqualTo(new[]
            {
                $"[tail cut: the first 3 of the last {int.MaxValue} lines are not shown; the node holds at most 4 MiB of a running job's tail]",
                $"d x {1 << 20}", $"e x {1 << 20}", $"f x {1 << 20}",
            }));
            Assert.That(JobLogPoll.TryReadTailCut(shown[0], out var cut) ? cut : -1, Is.EqualTo(3), "a follow counting lines reads it as the 3 lines it stands for");
        });
    }

    [Test]
    public void TryReadTailCut_TheNodesLineAndLinesLikeIt_OnlyTheNodesLineIsRead()
    {
        // `workflows logs -f --tail N` counts the node's line as the lines it left out, so that a stream asked again
        // after a daemon restart prints none twice; a job's own line that only begins like it is one line.
        Assert.Multiple(() =>
        {
            Assert.That(JobLogPoll.TryReadTailCut(JobLogPoll.TailCut(120, int.MaxValue), out var cut) ? cut : -1, Is.EqualTo(120));
            Assert.That(JobLogPoll.TryReadTailCut("[tail cut: the first 5 of the last 9 lines are mine]", out _), Is.False);
            Assert.That(JobLogPoll.TryReadTailCut(JobLogPoll.TailCut(5, 9) + " ", out _), Is.False);
            Assert.That(JobLogPoll.TryReadTailCut("line 1", out _), Is.False);
        });
    }

    private static IEnumerable<LogLine> Lines(int count, DateTimeOffset at) =>
        Enumerable.Range(0, count).Select(i => new LogLine(LogStream.Stdout, $"line {i}", at));
}
