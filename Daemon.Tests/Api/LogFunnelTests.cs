using GradientNode.Daemon.Api;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class LogFunnelTests
{
    [Test]
    public async Task RunAsync_ClientStopsReadingWhileAJobPrintsWithoutEnd_TheJobWaitsOnceCapacityLinesWait()
    {
        // Before: an unbounded channel took every line while the answer's write waited on a client that no longer
        // read, and the daemon's memory grew with the job's output (12 MB/s in the review's run).
        var emitted = 0;
        var blockedAt = -1;
        var clientReads = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        Func<Func<string, ValueTask>, Task> endless = async emit =>
        {
            while (emitted < 1_000_000)
            {
                var write = emit("line");
                emitted++;
                if (!write.IsCompleted && blockedAt < 0)
                {
                    blockedAt = emitted;
                }

                await write;
            }
        };

        var run = LogFunnel.RunAsync([endless], _ => clientReads.Task, () => Task.CompletedTask, stop.Token);
        await TestTimeouts.WaitUntilAsync(() => blockedAt >= 0 || emitted >= 1_000_000, "the producer to wait or to finish");
        var waited = blockedAt;
        await stop.CancelAsync();
        clientReads.SetResult();

        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(waited, Is.InRange(1, LogFunnel.Capacity + 2), "lines taken before the job had to wait for the client");
    }

    [Test]
    public async Task RunAsync_TwoProducers_EveryLineWrittenThenFlushedAndEndsWhenBothEnd()
    {
        var written = new List<string>();
        var flushes = 0;
        Func<Func<string, ValueTask>, Task> Job(string name) => async emit =>
        {
            for (var i = 0; i < 3; i++)
            {
                await emit($"[{name}] {i}\n");
            }
        };

        await LogFunnel.RunAsync([Job("a"), Job("b")], line => { written.Add(line); return Task.CompletedTask; }, () => { flushes++; return Task.CompletedTask; }, CancellationToken.None)
            .WaitAsync(TestTimeouts.Short);

        Assert.Multiple(() =>
        {
            Assert.That(written.Where(l => l.StartsWith("[a]", StringComparison.Ordinal)), Is.EqualTo(new[] { "[a] 0\n", "[a] 1\n", "[a] 2\n" }));
            Assert.That(written.Where(l => l.StartsWith("[b]", StringComparison.Ordinal)), Is.EqualTo(new[] { "[b] 0\n", "[b] 1\n", "[b] 2\n" }));
            Assert.That(flushes, Is.GreaterThanOrEqualTo(1));
        });
    }
}
