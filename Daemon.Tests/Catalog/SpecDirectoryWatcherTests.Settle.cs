using System.Collections.Concurrent;
using GradientNode.Core.Catalog;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

/// <summary>A spec written in pieces is acted on only once it has settled: on a fake clock, and with the real watcher.</summary>
internal sealed partial class SpecDirectoryWatcherTests
{
    private const string HalfSpec = """
        name: split
        image: nginx:1
        resources:
          machineType: C4
          ports: [8080]

        """;

    private const string SecondHalf = "  replicas: 3\n";

    [Test]
    public async Task RunAsync_SpecStillBeingWritten_NotActedOnNorReportedUntilItSettles()
    {
        var clock = new TimerCountingTimeProvider(new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-1)));
        var logs = new CollectingLogger<SpecDirectoryWatcher>();
        await using var rig = await SignalledWatcher.StartAsync(_specs, _state, clock, logs, SpecDirectoryWatcher.DefaultSettle);
        var watcher = rig.Watcher;
        await ParkedAsync(watcher, clock);
        var path = Path.Combine(_specs, "split.yaml");

        // The first half parses on its own (replicas 1). Its mtime is ahead of the fake clock: fresh, whatever the real time.
        await File.WriteAllTextAsync(path, HalfSpec);
        File.SetLastWriteTimeUtc(path, clock.GetUtcNow().UtcDateTime);
        rig.Signal();
        await ParkedAsync(watcher, clock);
        clock.Fake.Advance(SpecDirectoryWatcher.Quiet);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(watcher.Scans == 2), TestTimeouts.Short, "the scan after the first half's event");
        await ParkedAsync(watcher, clock);
        Assert.That(watcher.Entries, Is.Empty, "the half-written spec is not acted on");

        // The second half comes just before the loop looks again, a settle interval after the first scan.
        clock.Fake.Advance(SpecDirectoryWatcher.DefaultSettle - TimeSpan.FromMilliseconds(1));
        await File.AppendAllTextAsync(path, SecondHalf);
        File.SetLastWriteTimeUtc(path, clock.GetUtcNow().UtcDateTime);
        clock.Fake.Advance(TimeSpan.FromMilliseconds(1));
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(watcher.Scans == 3), TestTimeouts.Short, "the look again a settle interval after the first");
        await ParkedAsync(watcher, clock);
        Assert.That(watcher.Entries, Is.Empty, "it changed again: the wait starts over");

        clock.Fake.Advance(SpecDirectoryWatcher.DefaultSettle);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(watcher.Entries.ContainsKey("split")), TestTimeouts.Short, "the settled spec to be acted on");
        Assert.That(watcher.Entries["split"].Spec!.Resources.Replicas, Is.EqualTo(3), "the whole spec");
        Assert.That(logs.Events.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning), Is.Empty, "a file still being written is no error");
    }

    [Test]
    public async Task RunAsync_RealWatcherSpecWrittenInTwoParts_OnlyTheWholeSpecIsEverPublished()
    {
        // A long settle interval, so that the pause between the parts (the time the test takes to see the first part
        // scanned) can never look settled; without the settle rule that scan would publish the half (replicas 1).
        var watcher = new SpecDirectoryWatcher(_specs, _state, TimeProvider.System, NullLogger<SpecDirectoryWatcher>.Instance) { Settle = TimeSpan.FromSeconds(5) };
        var published = new ConcurrentQueue<int>();
        watcher.Changed += slugs =>
        {
            if (slugs.Contains("split") && watcher.Entries.TryGetValue("split", out var entry) && entry.Spec is { } spec)
            {
                published.Enqueue(spec.Resources.Replicas);
            }
        };
        using var cts = new CancellationTokenSource();
        var run = Task.Run(() => watcher.RunAsync(cts.Token));
        try
        {
            await watcher.FirstScan.WaitAsync(TestTimeouts.Short);
            var scans = watcher.Scans;
            var file = new FileStream(Path.Combine(_specs, "split.yaml"), FileMode.CreateNew, FileAccess.Write);
            await using (file)
            {
                await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(HalfSpec));
                await file.FlushAsync();
                await TestTimeouts.WaitUntilAsync(() => Task.FromResult(watcher.Scans > scans), TestTimeouts.Short, "a scan that sees the first part");
                Assert.That(watcher.Entries, Does.Not.ContainKey("split"), "the first part, which parses, is not acted on");
                await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(SecondHalf));
            }

            await TestTimeouts.WaitUntilAsync(() => Task.FromResult(watcher.Entries.ContainsKey("split")), TestTimeouts.Container, "the whole spec to be acted on");
            Assert.That(published, Is.EqualTo(new[] { 3 }), "published once, whole");
        }
        finally
        {
            await cts.CancelAsync();
            Assert.That(async () => await run.WaitAsync(TestTimeouts.Short), Throws.InstanceOf<OperationCanceledException>());
        }
    }
}
