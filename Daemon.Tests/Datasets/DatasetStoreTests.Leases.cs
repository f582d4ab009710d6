using GradientNode.Core.Datasets;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

// The store's side of the versions workflow runs hold (DatasetStore.Leases): resolve-and-hold, commit-and-hold,
// removal refused while held, gc skipping what is held; the real store on a temp folder.
internal sealed partial class DatasetStoreTests
{
    private const string Run3 = "workflow 'train' run 3";

    [Test]
    public async Task ResolveAndHold_Latest_HoldsTheVersionItResolvedNotTheName()
    {
        _store.Create("src", null);
        var first = await CommitAsync("src", ("f", "1"));
        _time.Advance(TimeSpan.FromSeconds(1));

        var resolved = _store.ResolveAndHold("src", Run3);
        var second = await CommitAsync("src", ("f", "2"));

        Assert.Multiple(() =>
        {
            Assert.That(resolved.Id, Is.EqualTo(first.Id));
            Assert.That(_store.Leases.HeldBy(Run3), Is.EqualTo(new[] { first.Id }));
            Assert.That(_store.Leases.HoldersOf(second.Id), Is.Empty, "a newer latest is not held");
        });
    }

    [Test]
    public void ResolveAndHold_UnknownReference_NotFoundAndHoldsNothing()
    {
        _store.Create("src", null);

        Assert.That(() => _store.ResolveAndHold("src:nosuch", Run3), Throws.TypeOf<DatasetException>().With.Property(nameof(DatasetException.Error)).EqualTo(DatasetError.NotFound));
        Assert.That(_store.Leases.HeldBy(Run3), Is.Empty);
    }

    [Test]
    public async Task Remove_HeldVersion_RefusedInUseNamingTheRunAndNothingRemoved()
    {
        _store.Create("src", null);
        var version = await CommitAsync("src", ("f", "x"));
        _store.Tag("src", version.Version, "golden");
        _store.ResolveAndHold("src:golden", Run3);

        Assert.That(
            () => _store.Remove("src", version.Version),
            Throws.TypeOf<DatasetException>().With.Property(nameof(DatasetException.Error)).EqualTo(DatasetError.InUse)
                .And.Message.EqualTo($"dataset version '{version.Id}' is held by workflow 'train' run 3, which resolved it and has not ended (a run keeps the versions it resolved until it ends); wait for the run to end or cancel it, nothing was removed"));
        Assert.Multiple(() =>
        {
            Assert.That(_store.Resolve("src:golden").Id, Is.EqualTo(version.Id), "the version and its tag stay");
            Assert.That(File.ReadAllText(Path.Combine(_store.ContentPathOf("src", version.Version), "f")), Is.EqualTo("x"));
        });
    }

    [Test]
    public async Task Remove_WholeDatasetWithAHeldVersion_RefusedNamingVersionAndRun()
    {
        _store.Create("src", null);
        var version = await CommitAsync("src", ("f", "x"));
        _store.ResolveAndHold("src", Run3);

        Assert.That(
            () => _store.Remove("src", null),
            Throws.TypeOf<DatasetException>().With.Property(nameof(DatasetException.Error)).EqualTo(DatasetError.InUse)
                .And.Message.EqualTo($"dataset 'src' has versions held by workflow runs that resolved them and have not ended: {version.Id} by workflow 'train' run 3; wait for the runs to end or cancel them, nothing was removed"));
        Assert.That(_store.Versions("src").Select(v => v.Id), Is.EqualTo(new[] { version.Id }));
    }

    [Test]
    public async Task Remove_AfterTheOnlyHolderLetGo_Removes()
    {
        _store.Create("src", null);
        var version = await CommitAsync("src", ("f", "x"));
        _store.ResolveAndHold("src", Run3);
        _store.ResolveAndHold("src", "workflow 'eval' run 1");

        _store.Leases.Release(Run3);
        Assert.That(() => _store.Remove("src", version.Version), Throws.TypeOf<DatasetException>().With.Message.Contains("workflow 'eval' run 1").And.Message.Not.Contains(Run3));
        _store.Leases.Release("workflow 'eval' run 1");
        _store.Remove("src", version.Version);

        Assert.That(_store.Versions("src"), Is.Empty);
    }

    [Test]
    public async Task CommitAsync_WithHolder_TheNewVersionIsHeldFromTheStart()
    {
        _store.Create("out", null);
        var write = _store.BeginWrite("out", null);
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "f"), "x");

        var version = await _store.CommitAsync(write, CancellationToken.None, holder: Run3);
        var again = await _store.CommitAsync(write, CancellationToken.None, holder: "workflow 'train' run 4");

        Assert.Multiple(() =>
        {
            Assert.That(again.Id, Is.EqualTo(version.Id));
            Assert.That(_store.Leases.HoldersOf(version.Id), Is.EqualTo(new[] { Run3, "workflow 'train' run 4" }));
            Assert.That(() => _store.Remove("out", version.Version), Throws.TypeOf<DatasetException>().With.Property(nameof(DatasetException.Error)).EqualTo(DatasetError.InUse));
        });
    }

    [Test]
    public async Task RemoveVersions_OneOfThemHeld_SkipsItAndReportsOnlyThoseRemoved()
    {
        _store.Create("src", null);
        var old = await CommitAsync("src", ("f", "1"));
        _time.Advance(TimeSpan.FromSeconds(1));
        var held = await CommitAsync("src", ("f", "2"));
        _time.Advance(TimeSpan.FromSeconds(1));
        await CommitAsync("src", ("f", "3"));
        _store.ResolveAndHold(held.Id, Run3);

        var (removed, _, _) = _store.RemoveVersions([old, held]);

        Assert.Multiple(() =>
        {
            Assert.That(removed.Select(v => v.Id), Is.EqualTo(new[] { old.Id }));
            Assert.That(_store.Versions("src").Select(v => v.Id), Does.Contain(held.Id).And.Not.Contain(old.Id));
        });
    }
}
