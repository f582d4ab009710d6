using GradientNode.Core.Datasets;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

/// <summary>
/// A write committed again after a restart (the daemon stopped or died after the commit, before its run's record said so):
/// the version it made is found by the write's id, kept in the manifest. Before, a new store knew nothing of it and
/// said the write was aborted, so the job ended ERROR with its output committed but unnamed.
/// </summary>
internal sealed partial class DatasetStoreTests
{
    [Test]
    public async Task CommitAsync_WriteCommittedBeforeARestart_ANewStoreReturnsThatVersionHeldForTheHolder()
    {
        _store.Create("d", null);
        var write = _store.BeginWrite("d", "msg");
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "f"), "x");
        var once = await _store.CommitAsync(write, CancellationToken.None);

        var restarted = new DatasetStore(_root, _time);
        var again = await restarted.CommitAsync(write, CancellationToken.None, holder: "workflow 'w' run 1");

        Assert.Multiple(() =>
        {
            Assert.That(again.Id, Is.EqualTo(once.Id));
            Assert.That(restarted.Versions("d"), Has.Count.EqualTo(1));
            Assert.That(restarted.Leases.RefusalOf(once.Id), Is.Not.Null, "held for the holder, as a fresh commit is");
        });
    }

    [Test]
    public async Task CommitAsync_AbortedWriteAfterARestart_NotFoundNothingCommitted()
    {
        _store.Create("d", null);
        var write = _store.BeginWrite("d", "msg");
        _store.Abort(write);

        var restarted = new DatasetStore(_root, _time);

        Assert.That(
            async () => await restarted.CommitAsync(write, CancellationToken.None),
            Throws.TypeOf<DatasetException>().With.Property(nameof(DatasetException.Error)).EqualTo(DatasetError.NotFound));
        Assert.That(restarted.Versions("d"), Is.Empty);
    }

    [Test]
    public async Task CommittedVersionOf_WriteCommittedHereAfterARestartOrNever_ThatVersionWithoutAHoldOrNull()
    {
        _store.Create("d", null);
        var write = _store.BeginWrite("d", "msg");
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "f"), "x");
        var other = _store.BeginWrite("d", "open");
        var once = await _store.CommitAsync(write, CancellationToken.None);

        var restarted = new DatasetStore(_root, _time);

        Assert.Multiple(() =>
        {
            Assert.That(_store.CommittedVersionOf("d", write.Id)?.Id, Is.EqualTo(once.Id));
            Assert.That(restarted.CommittedVersionOf("d", write.Id)?.Id, Is.EqualTo(once.Id), "found by the manifest's write");
            Assert.That(restarted.Leases.RefusalOf(once.Id), Is.Null, "holds nothing");
            Assert.That(restarted.CommittedVersionOf("d", other.Id), Is.Null, "still open");
            Assert.That(restarted.CommittedVersionOf("d", "0123456789abcdef"), Is.Null);
        });
    }
}
