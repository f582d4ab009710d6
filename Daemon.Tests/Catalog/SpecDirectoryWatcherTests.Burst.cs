using GradientNode.Core.Catalog;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

/// <summary>The debounce of file events, on the watcher's own (fake) clock: a burst or a stream of events costs one scan, soon.</summary>
internal sealed partial class SpecDirectoryWatcherTests
{
    [Test]
    public async Task RunAsync_FiftySpecsDroppedWith150Events_OneScanOneQuietPeriodAfterTheLastEvent()
    {
        var clock = new TimerCountingTimeProvider(new FakeTimeProvider());
        // Settle zero: the debounce alone (the settle interval has its own tests, SpecDirectoryWatcherTests.Settle.cs).
        await using var rig = await SignalledWatcher.StartAsync(_specs, _state, clock, NullLogger<SpecDirectoryWatcher>.Instance, settle: TimeSpan.Zero);
        var watcher = rig.Watcher;
        await ParkedAsync(watcher, clock);
        var started = clock.GetUtcNow();

        // 50 specs written through a temp file and a rename: about three events each.
        for (var i = 0; i < 50; i++)
        {
            File.WriteAllText(Path.Combine(_specs, $"app{i}.yaml"), Valid($"app{i}"));
            rig.Signal();
            rig.Signal();
            rig.Signal();
        }

        await ParkedAsync(watcher, clock);
        Assert.That(watcher.Entries, Is.Empty, "nothing is read before the burst has been quiet for a while");
        clock.Fake.Advance(SpecDirectoryWatcher.Quiet);

        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(watcher.Entries.Count == 50), TestTimeouts.Short, "the catalog to hold all 50 specs");
        Assert.Multiple(() =>
        {
            Assert.That(clock.GetUtcNow() - started, Is.LessThanOrEqualTo(TimeSpan.FromMilliseconds(250)), "read within ~250 ms of the last event");
            Assert.That(watcher.Scans, Is.EqualTo(2), "the first scan, then one for the whole burst");
        });
    }

    [Test]
    public async Task RunAsync_SteadyStreamOfEvents_ScansNoLaterThanMaxDelayAfterTheFirst()
    {
        var clock = new TimerCountingTimeProvider(new FakeTimeProvider());
        // Settle zero: the debounce alone (the settle interval has its own tests, SpecDirectoryWatcherTests.Settle.cs).
        await using var rig = await SignalledWatcher.StartAsync(_specs, _state, clock, NullLogger<SpecDirectoryWatcher>.Instance, settle: TimeSpan.Zero);
        var watcher = rig.Watcher;
        await ParkedAsync(watcher, clock);
        File.WriteAllText(Path.Combine(_specs, "busy.yaml"), Valid("busy"));
        var step = TimeSpan.FromMilliseconds(100);

        // An event every 100 ms, shorter than the quiet period, for a whole MaxDelay.
        for (var elapsed = TimeSpan.Zero; elapsed < SpecDirectoryWatcher.MaxDelay; elapsed += step)
        {
            Assert.That(watcher.Entries, Is.Empty, $"not read yet after {elapsed.TotalMilliseconds} ms");
            rig.Signal();
            await ParkedAsync(watcher, clock);
            clock.Fake.Advance(step);
        }

        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(watcher.Entries.ContainsKey("busy")), TestTimeouts.Short, "the scan MaxDelay after the first event");
        Assert.That(watcher.Scans, Is.EqualTo(2));
    }

    /// <summary>Waits until the watch loop has taken every event and waits on exactly one timer (the clock may advance).</summary>
    private static Task ParkedAsync(SpecDirectoryWatcher watcher, TimerCountingTimeProvider clock) =>
        TestTimeouts.WaitUntilAsync(() => Task.FromResult(watcher.PendingEvents == 0 && clock.ActiveTimers == 1), TestTimeouts.Short, "the watch loop to wait on its clock");
}
