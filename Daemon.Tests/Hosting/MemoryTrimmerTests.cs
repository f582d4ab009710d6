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
        // Each read: (allocated so far, working set). The read after a trim is its own entry.
        var counters = new Counters(
        [
            (0, 90 * Mb), (100 * Mb, 150 * Mb),                                 // a burst
            (100 * Mb, 150 * Mb), (100 * Mb, 150 * Mb), (100 * Mb, 150 * Mb), // three quiet periods: trim
            (100 * Mb, 100 * Mb), (100 * Mb, 100 * Mb),                         // the read after it, then idle
        ]);
        var trims = 0;
        using var trimmer = new MemoryTrimmer(time, NullLogger<MemoryTrimmer>.Instance)
        {
            ReadCounters = counters.Read,
            Trim = () => Interlocked.Increment(ref trims),
        };

        await trimmer.StartAsync(CancellationToken.None);
        await counters.TickUntilDrainedAsync(time);
        await trimmer.StopAsync(CancellationToken.None);

        Assert.That(trims, Is.EqualTo(1), "one burst (100 MB allocated, the working set 60 MB up), then quiet periods: one trim");
    }

    [Test]
    public async Task ExecuteAsync_TrimThrows_LogsAndKeepsTicking()
    {
        var time = new FakeTimeProvider();
        var counters = new Counters(
        [
            (0, 90 * Mb), (100 * Mb, 150 * Mb), (100 * Mb, 150 * Mb), (100 * Mb, 150 * Mb), (100 * Mb, 150 * Mb), // burst, 3 quiet: trim (throws)
            (100 * Mb, 150 * Mb), (101 * Mb, 150 * Mb), (102 * Mb, 150 * Mb), (103 * Mb, 150 * Mb),           // the read after it; quiet, not grown: no retry
            (300 * Mb, 190 * Mb), (301 * Mb, 190 * Mb), (301 * Mb, 190 * Mb), (301 * Mb, 190 * Mb),           // the next burst, 3 quiet: trim again
            (301 * Mb, 190 * Mb), (301 * Mb, 190 * Mb),
        ]);
        var trims = 0;
        using var trimmer = new MemoryTrimmer(time, NullLogger<MemoryTrimmer>.Instance)
        {
            ReadCounters = counters.Read,
            Trim = () =>
            {
                Interlocked.Increment(ref trims);
                throw new InvalidOperationException("boom");
            },
        };

        await trimmer.StartAsync(CancellationToken.None);
        await counters.TickUntilDrainedAsync(time);
        await trimmer.StopAsync(CancellationToken.None);

        Assert.That(trims, Is.EqualTo(2), "a failed trim is not retried until the working set grows again, and does not stop the loop");
        Assert.That(trimmer.ExecuteTask, Is.Not.Null.And.Property(nameof(Task.IsFaulted)).False);
    }

    [Test]
    public void MallocTrim_OnThisMachine_IsBoundToGlibc()
    {
        // The default trim calls it and ignores a missing libc; this pins that the binding itself works on Debian.
        Assert.That(Libc.MallocTrim(0), Is.EqualTo(0).Or.EqualTo(1));
    }

    /// <summary>Counter readings in order; the last one repeats. Counts the reads so a test can tell the loop ran.</summary>
    private sealed class Counters((long Allocated, long WorkingSet)[] readings)
    {
        private readonly Queue<(long Allocated, long WorkingSet)> _readings = new(readings);
        private readonly SemaphoreSlim _reads = new(0);

        public (long Allocated, long WorkingSet) Read()
        {
            lock (_readings)
            {
                var reading = _readings.Count > 1 ? _readings.Dequeue() : _readings.Peek();
                _reads.Release();
                return reading;
            }
        }

        /// <summary>
        /// Advances the fake clock a period at a time until every reading was taken and two more ticks ran on the last one
        /// (so whatever the last distinct reading caused has happened). The loop starts on another thread, so early
        /// advances may come before its timer exists; an extra tick only takes the next reading sooner.
        /// </summary>
        public async Task TickUntilDrainedAsync(FakeTimeProvider time)
        {
            var deadline = DateTime.UtcNow + TestTimeouts.Short;
            var afterDrained = 0;
            while (afterDrained < 2)
            {
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the trimmer's loop stopped reading its counters");
                time.Advance(MemoryTrimmer.Period);
                if (!await _reads.WaitAsync(TimeSpan.FromMilliseconds(100)))
                {
                    continue;
                }

                lock (_readings)
                {
                    if (_readings.Count == 1)
                    {
                        afterDrained++;
                    }
                }
            }
        }
    }
}
