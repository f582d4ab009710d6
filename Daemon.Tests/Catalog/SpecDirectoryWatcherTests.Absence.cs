using GradientNode.Core.Catalog;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

/// <summary>
/// A spec file missing for a moment (an editor's delete-then-write, a checkout, <c>mv</c> then <c>ln -s</c>) is not taken for
/// deleted: the watch loop's scans remove a deployment only once its file has stayed away for the settle interval.
/// Before, a rescan that fell in the gap published the removal and the deployment's replicas were stopped.
/// </summary>
internal sealed partial class SpecDirectoryWatcherTests
{
    [Test]
    public async Task ScanAsync_FileGoneForAMomentThenBack_DeploymentNeverRemoved()
    {
        var (watcher, clock, path) = await WatchedSpecAsync();
        var removed = new List<IReadOnlySet<string>>();
        watcher.Changed += slugs => removed.Add(slugs);

        File.Delete(path);
        await watcher.ScanAsync(quick: true, CancellationToken.None, settle: true);
        var duringGap = watcher.Entries.ContainsKey("hello");
        await File.WriteAllTextAsync(path, Valid("hello"));
        clock.Advance(SpecDirectoryWatcher.DefaultSettle * 3);
        await watcher.ScanAsync(quick: true, CancellationToken.None, settle: true);

        Assert.Multiple(() =>
        {
            Assert.That(duringGap, Is.True, "missing for less than the settle interval: kept");
            Assert.That(watcher.Entries.ContainsKey("hello"), Is.True);
            Assert.That(removed, Is.Empty, "no change published at all");
        });
    }

    [Test]
    public async Task ScanAsync_FileGoneForTheSettleInterval_DeploymentRemoved()
    {
        var (watcher, clock, path) = await WatchedSpecAsync();

        File.Delete(path);
        await watcher.ScanAsync(quick: true, CancellationToken.None, settle: true);
        var first = watcher.Entries.ContainsKey("hello");
        clock.Advance(SpecDirectoryWatcher.DefaultSettle);
        await watcher.ScanAsync(quick: true, CancellationToken.None, settle: true);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.True, "the first scan that misses it only starts the wait");
            Assert.That(watcher.Entries, Does.Not.ContainKey("hello"), "away for the settle interval: deleted");
        });
    }

    [Test]
    public async Task DeleteAsync_ExplicitDelete_RemovedAtOnce()
    {
        var (watcher, _, _) = await WatchedSpecAsync();

        var deleted = await watcher.DeleteAsync("hello", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(deleted, Is.True);
            Assert.That(watcher.Entries, Does.Not.ContainKey("hello"), "gradient-node delete does not wait");
        });
    }

    /// <summary>A watcher on a fake clock a minute ahead of the files' times (so they are settled), with one deployment read.</summary>
    private async Task<(SpecDirectoryWatcher Watcher, FakeTimeProvider Clock, string Path)> WatchedSpecAsync()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1));
        var path = Path.Combine(_specs, "hello.yaml");
        await File.WriteAllTextAsync(path, Valid("hello"));
        var watcher = new SpecDirectoryWatcher(_specs, _state, clock, NullLogger<SpecDirectoryWatcher>.Instance);
        await watcher.ScanAsync(CancellationToken.None);
        Assert.That(watcher.Entries, Does.ContainKey("hello"));
        return (watcher, clock, path);
    }
}
