using GradientNode.Core.Datasets;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

// A dataset a workflow run's output created (BeginWriteCreating) is removed when the run ends without a version
// (RemoveIfUnused), and only then: never one that existed before, got a version, or another write still uses.
internal sealed partial class DatasetStoreTests
{
    private const string Run4 = "workflow 'train' run 4";

    [Test]
    public void RemoveIfUnused_CreatedByTheRunWhoseWriteWasAborted_Removed()
    {
        var write = _store.BeginWriteCreating("fresh", null, Run3);
        _store.Abort(write);

        var removed = _store.RemoveIfUnused("fresh", Run3);

        Assert.Multiple(() =>
        {
            Assert.That(removed, Is.True);
            Assert.That(_store.List().Select(d => d.Name), Does.Not.Contain("fresh"));
        });
    }

    [Test]
    public void RemoveIfUnused_DatasetThatExistedBeforeTheRun_Kept()
    {
        _store.Create("made-by-hand", null);
        _store.Abort(_store.BeginWriteCreating("made-by-hand", null, Run3));

        Assert.Multiple(() =>
        {
            Assert.That(_store.RemoveIfUnused("made-by-hand", Run3), Is.False);
            Assert.That(_store.List().Select(d => d.Name), Does.Contain("made-by-hand"));
        });
    }

    [Test]
    public async Task RemoveIfUnused_CreatedByTheRunAndGotAVersion_KeptAlsoOnceTheVersionIsRemoved()
    {
        var write = _store.BeginWriteCreating("fresh", null, Run3);
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "f"), "x");
        var version = await _store.CommitAsync(write, CancellationToken.None);

        var withVersion = _store.RemoveIfUnused("fresh", Run3);
        _store.Remove("fresh", version.Version);
        var emptiedLater = _store.RemoveIfUnused("fresh", Run3);

        Assert.Multiple(() =>
        {
            Assert.That(withVersion, Is.False);
            Assert.That(emptiedLater, Is.False, "a first version made it an ordinary dataset");
            Assert.That(_store.List().Select(d => d.Name), Does.Contain("fresh"));
        });
    }

    [Test]
    public void RemoveIfUnused_AnotherRunStillWritesIt_Kept()
    {
        _store.Abort(_store.BeginWriteCreating("shared", null, Run3));
        var other = _store.BeginWriteCreating("shared", null, Run4);

        var whileOpen = _store.RemoveIfUnused("shared", Run3);
        var reopened = new DatasetStore(_root, _time); // a restarted daemon: the write is only a staging folder on disk
        var whileStaged = reopened.RemoveIfUnused("shared", Run3);
        _store.Abort(other);
        var afterAbort = _store.RemoveIfUnused("shared", Run3);

        Assert.Multiple(() =>
        {
            Assert.That(whileOpen, Is.False, "an open write needs its dataset to commit into");
            Assert.That(whileStaged, Is.False, "a staged write of an adopted job counts too");
            Assert.That(afterAbort, Is.True);
        });
    }

    [Test]
    public void RemoveIfUnused_AnotherRunCreatedIt_Kept()
    {
        _store.Abort(_store.BeginWriteCreating("fresh", null, Run4));

        Assert.That(_store.RemoveIfUnused("fresh", Run3), Is.False);
    }

    [Test]
    public void RemoveIfUnused_RecordUnreadable_KeptWithoutThrowing()
    {
        _store.Abort(_store.BeginWriteCreating("broken", null, Run3));
        File.WriteAllText(Path.Combine(_root, "broken", "dataset.json"), "{not json");

        Assert.Multiple(() =>
        {
            Assert.That(_store.RemoveIfUnused("broken", Run3), Is.False);
            Assert.That(Directory.Exists(Path.Combine(_root, "broken")), Is.True);
        });
    }
}
