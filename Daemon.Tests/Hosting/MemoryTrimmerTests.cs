using GradientNode.Daemon.Hosting;
using GradientNode.Daemon.Security;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Hosting;

[TestFixture]
[Category("Unit")]
public sealed class MemoryTrimmerTests
{
    private const long Mb = 1024 * 1024;

    [Test]
    public async Task ExecuteAsync_BurstThenQuiet_TrimsOnceAndKeepsTicking()
    {
        var time = new FakeTimeProvider();
        var totals = new Queue<long>([0, 100 * Mb, 100 * Mb, 100 * Mb, 100 * Mb]);
        var reads = new SemaphoreSlim(0);
        var trims = 0;
        using var trimmer = new MemoryTrimmer(time, NullLogger<MemoryTrimmer>.Instance)
        {
            AllocatedBytes = () =>
            {
                var total = totals.Count > 1 ? totals.Dequeue() : totals.Peek();
                reads.Release();
                return total;
            },
            Trim = () => Interlocked.Increment(ref trims),
        };

        await trimmer.StartAsync(CancellationToken.None);
        for (var tick = 0; tick < 5; tick++)
        {
            await TickAsync(time, reads);
        }

        await trimmer.StopAsync(CancellationToken.None);
        Assert.That(trims, Is.EqualTo(1), "one burst (100 MB), then quiet ticks: one trim");
    }

    [Test]
    public async Task ExecuteAsync_TrimThrows_LogsAndKeepsTicking()
    {
        var time = new FakeTimeProvider();
        var totals = new Queue<long>([0, 100 * Mb, 100 * Mb, 100 * Mb, 300 * Mb, 300 * Mb]);
        var reads = new SemaphoreSlim(0);
        var trims = 0;
        using var trimmer = new MemoryTrimmer(time, NullLogger<MemoryTrimmer>.Instance)
        {
            AllocatedBytes = () =>
            {
                var total = totals.Count > 1 ? totals.Dequeue() : totals.Peek();
                reads.Release();
                return total;
            },
            Trim = () =>
            {
                Interlocked.Increment(ref trims);
                throw new InvalidOperationException("boom");
            },
        };

        await trimmer.StartAsync(CancellationToken.None);
        for (var tick = 0; tick < 7; tick++)
        {
            await TickAsync(time, reads);
        }

        await trimmer.StopAsync(CancellationToken.None);
        Assert.That(trims, Is.EqualTo(2), "both bursts were followed by a trim attempt, the first one's failure did not stop the loop");
        Assert.That(trimmer.ExecuteTask, Is.Not.Null.And.Property(nameof(Task.IsFaulted)).False);
    }

    /// <summary>
    /// One period of the fake clock, until the loop has read the counter. The service's loop starts on another thread, so
    /// the first advances may come before its timer exists, and an extra tick only reads the next total sooner: each
    /// test's totals end in a repeated one, so the trims counted once all are read do not depend on it.
    /// </summary>
    private static async Task TickAsync(FakeTimeProvider time, SemaphoreSlim reads)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Short;
        while (DateTime.UtcNow < deadline)
        {
            time.Advance(MemoryTrimmer.Period);
            if (await reads.WaitAsync(TimeSpan.FromMilliseconds(100)))
            {
                return;
            }
        }

        Assert.Fail("the trimmer's loop did not read the allocation counter: it is not running");
    }

    [Test]
    public void MallocTrim_OnThisMachine_IsBoundToGlibc()
    {
        // The default trim calls it and ignores a missing libc; this pins that the binding itself works on Debian.
        Assert.That(Libc.MallocTrim(0), Is.EqualTo(0).Or.EqualTo(1));
    }
}
