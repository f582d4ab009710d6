using GradientNode.Core.Common;
using GradientNode.Core.Datasets;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

/// <summary>
/// The object pool shares identical files as hard links, and a file system limits how many names one file may have (ext4:
/// 65,000). Before, the link past the limit failed the commit ("Too many links"), so a version of 65,000 identical files
/// (empty <c>__init__.py</c>, <c>.gitkeep</c>) could never be committed, and once the versions of all datasets together
/// held the limit of one content, no version holding that content could be committed on the node again. On a real ext4.
/// </summary>
internal sealed partial class DatasetStoreTests
{
    [Test]
    public async Task CommitAsync_MoreIdenticalFilesThanTheFileSystemLinksToOneFile_CommittedAndLaterVersionsToo()
    {
        using var disk = Ext4Image.Mount(64);
        var store = new DatasetStore(Path.Combine(disk.Path, "datasets"), new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        store.Create("empty", null);
        var write = store.BeginWrite("empty", null);
        var count = Ext4Image.MaxLinks + 10;
        for (var i = 0; i < count; i++)
        {
            File.Create(Path.Combine(write.ContentPath, $"f{i}")).Dispose();
        }

        var full = await store.CommitAsync(write, CancellationToken.None);

        store.Create("other", null);
        var later = store.BeginWrite("other", null);
        File.Create(Path.Combine(later.ContentPath, "__init__.py")).Dispose();
        var other = await store.CommitAsync(later, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(store.ManifestOf(full).Entries, Has.Count.EqualTo(count));
            Assert.That(Directory.GetFiles(store.ContentPathOf("empty", full.Version)), Has.Length.EqualTo(count));
            Assert.That(store.ManifestOf(other).Entries.Single().Path, Is.EqualTo("__init__.py"));
            Assert.That(File.Exists(Path.Combine(store.ContentPathOf("other", other.Version), "__init__.py")));
        });
    }

    [Test]
    public async Task CommitAsync_FileThatAlreadyHasAsManyNamesAsTheFileSystemAllows_CommittedWithEveryName()
    {
        using var disk = Ext4Image.Mount(64);
        var store = new DatasetStore(Path.Combine(disk.Path, "datasets"), new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        store.Create("links", null);
        var write = store.BeginWrite("links", null);
        var first = Path.Combine(write.ContentPath, "a");
        File.WriteAllText(first, "same");
        for (var i = 1; i < Ext4Image.MaxLinks; i++)
        {
            Assert.That(PosixFile.TryHardLink(first, Path.Combine(write.ContentPath, $"a{i}"))); // a job's `ln a a1; ln a a2; …` in its output
        }

        var version = await store.CommitAsync(write, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(store.ManifestOf(version).Entries, Has.Count.EqualTo(Ext4Image.MaxLinks));
            Assert.That(File.ReadAllText(Path.Combine(store.ContentPathOf("links", version.Version), "a12345")), Is.EqualTo("same"));
        });
    }

    [Test]
    public async Task CommitAsync_JobHardLinkedTwoNamesOfOneFile_VersionHoldsJustThoseNamesAsItsManifestSays()
    {
        // A job's `ln a b` in its output (found by the twelfth adversary review): a and b are one inode, which the seal
        // shares as the pool's object through a; b's replacement link then was renamed onto b, itself a name of that same
        // inode, which rename(2) leaves alone, so a stray b.link-XXXXXXXX stayed in the version: mounted and downloaded,
        // named by no manifest. The same content committed again, with the object already in the pool, does the same.
        foreach (var dataset in new[] { "first", "again" })
        {
            _store.Create(dataset, null);
            var write = _store.BeginWrite(dataset, null);
            await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "a"), "same");
            Assert.That(PosixFile.TryHardLink(Path.Combine(write.ContentPath, "a"), Path.Combine(write.ContentPath, "b")));

            var version = await _store.CommitAsync(write, CancellationToken.None);

            var content = _store.ContentPathOf(dataset, version.Version);
            Assert.Multiple(() =>
            {
                Assert.That(_store.ManifestOf(version).Entries.Select(e => e.Path), Is.EqualTo(new[] { "a", "b" }));
                Assert.That(Directory.GetFiles(content).Select(Path.GetFileName), Is.EquivalentTo(new[] { "a", "b" }), dataset);
                Assert.That(File.ReadAllText(Path.Combine(content, "b")), Is.EqualTo("same"));
            });
        }
    }
}
