using GradientNode.Core.Catalog;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

/// <summary>
/// The spec folder itself gone or replaced (faults13): a missing folder is unknown, not empty, so its deployments are
/// kept; the node does not create it again behind the operator's back; a folder made again is watched anew.
/// </summary>
internal sealed partial class SpecDirectoryWatcherTests
{
    [Test]
    public async Task ScanAsync_SpecFolderRemovedAfterTheFirstScan_DeploymentsKeptAndSaidOnce()
    {
        var (watcher, clock, logs) = await WatchedFolderAsync();
        var raised = new List<IReadOnlySet<string>>();
        watcher.Changed += raised.Add;

        Directory.Delete(_specs, recursive: true);
        for (var i = 0; i < 3; i++)
        {
            await watcher.ScanAsync(quick: true, CancellationToken.None, settle: true);
            clock.Advance(SpecDirectoryWatcher.DefaultSettle * 2);
        }

        var warnings = watcher.Warnings;
        Assert.Multiple(() =>
        {
            Assert.That(watcher.Entries.Keys, Is.EquivalentTo(new[] { "hello", "world" }), "a missing folder is unknown, not empty");
            Assert.That(raised, Is.Empty, "no removal published");
            Assert.That(warnings, Has.One.Contains($"the spec folder {_specs} is missing").And.Contains("2 deployment(s)"));
            Assert.That(logs.Events.Count(e => e.Id.Id == 1106), Is.EqualTo(1), "logged once, not at every rescan");
            Assert.That(File.Exists(Path.Combine(_state, SpecCatalog.LastGoodFolder, "hello.yaml")), Is.True, "last good copies kept");
        });
    }

    [Test]
    public async Task ScanAsync_SpecFolderBackWithOneSpecLess_ReadAsItIsNow()
    {
        var (watcher, clock, logs) = await WatchedFolderAsync();
        Directory.Delete(_specs, recursive: true);
        await watcher.ScanAsync(quick: true, CancellationToken.None, settle: true);

        Directory.CreateDirectory(_specs);
        await File.WriteAllTextAsync(Path.Combine(_specs, "hello.yaml"), Valid("hello"));
        File.SetLastWriteTimeUtc(Path.Combine(_specs, "hello.yaml"), DateTime.UtcNow.AddMinutes(-1));
        await watcher.ScanAsync(quick: true, CancellationToken.None, settle: true);
        clock.Advance(SpecDirectoryWatcher.DefaultSettle);
        await watcher.ScanAsync(quick: true, CancellationToken.None, settle: true);

        Assert.Multiple(() =>
        {
            Assert.That(watcher.Entries.Keys, Is.EquivalentTo(new[] { "hello" }), "the folder that is back says world is gone");
            Assert.That(watcher.Warnings, Has.None.Contains("is missing"));
            Assert.That(logs.Events.Count(e => e.Id.Id == 1107), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task WriteAsync_SpecFolderMissing_RefusedAndTheOthersKept()
    {
        var (watcher, _, _) = await WatchedFolderAsync();
        Directory.Delete(_specs, recursive: true);

        var refused = Assert.ThrowsAsync<SpecFileWriteException>(() => watcher.WriteAsync(Path.Combine(_specs, "new.yaml"), Valid("new"), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(refused!.Message, Does.Contain($"the spec folder {_specs} is missing").And.Contains("nothing was changed"));
            Assert.That(Directory.Exists(_specs), Is.False, "not made again with one spec in it");
            Assert.That(watcher.Entries.Keys, Is.EquivalentTo(new[] { "hello", "world" }));
        });
    }

    [Test]
    public async Task RunAsync_SpecFolderRemoved_NotCreatedAgainAndWatchedAnewOnceItIsBack()
    {
        var clock = new TimerCountingTimeProvider(new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1)));
        await File.WriteAllTextAsync(Path.Combine(_specs, "hello.yaml"), Valid("hello"));
        var watched = 0;
        var watcher = new SpecDirectoryWatcher(_specs, _state, clock, new CollectingLogger<SpecDirectoryWatcher>())
        {
            StartWatching = (_, _) =>
            {
                Interlocked.Increment(ref watched);
                return new CancellationTokenSource();
            },
        };
        using var cts = new CancellationTokenSource();
        var run = Task.Run(() => watcher.RunAsync(cts.Token));
        try
        {
            await watcher.FirstScan.WaitAsync(TestTimeouts.Short);
            await ParkedAsync(watcher, clock);
            Directory.Delete(_specs, recursive: true);
            for (var scans = watcher.Scans + 3; watcher.Scans < scans;)
            {
                clock.Fake.Advance(watcher.ResyncPeriod);
                await ParkedAsync(watcher, clock);
            }

            var createdAgain = Directory.Exists(_specs);
            var whileAway = Volatile.Read(ref watched);
            Directory.CreateDirectory(_specs); // e.g. mv specs.new specs: a folder of its own, not one inside a folder the node made
            await File.WriteAllTextAsync(Path.Combine(_specs, "hello.yaml"), Valid("hello"));
            for (var scans = watcher.Scans + 2; watcher.Scans < scans;)
            {
                clock.Fake.Advance(watcher.ResyncPeriod);
                await ParkedAsync(watcher, clock);
            }

            Assert.Multiple(() =>
            {
                Assert.That(createdAgain, Is.False, "the node does not create the folder again while it runs");
                Assert.That(whileAway, Is.EqualTo(1));
                Assert.That(Volatile.Read(ref watched), Is.EqualTo(2), "the folder made again is watched anew");
                Assert.That(watcher.Entries.Keys, Is.EquivalentTo(new[] { "hello" }));
            });
        }
        finally
        {
            await cts.CancelAsync();
            Assert.That(async () => await run.WaitAsync(TestTimeouts.Short), Throws.InstanceOf<OperationCanceledException>());
        }
    }

    /// <summary>A watcher on a fake clock a minute ahead of the files' times (so they are settled), with two deployments read.</summary>
    private async Task<(SpecDirectoryWatcher Watcher, FakeTimeProvider Clock, CollectingLogger<SpecDirectoryWatcher> Logs)> WatchedFolderAsync()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1));
        await File.WriteAllTextAsync(Path.Combine(_specs, "hello.yaml"), Valid("hello"));
        await File.WriteAllTextAsync(Path.Combine(_specs, "world.yaml"), Valid("world"));
        var logs = new CollectingLogger<SpecDirectoryWatcher>();
        var watcher = new SpecDirectoryWatcher(_specs, _state, clock, logs);
        await watcher.ScanAsync(CancellationToken.None);
        Assert.That(watcher.Entries.Keys, Is.EquivalentTo(new[] { "hello", "world" }));
        return (watcher, clock, logs);
    }
}
