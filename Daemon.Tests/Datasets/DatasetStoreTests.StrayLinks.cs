using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

/// <summary>
/// A crash in the instant a file is linked to its object in the pool leaves the replacement link behind. It was made beside
/// the file as <c>NAME.link-XXXXXXXX</c>, a name a job may give a file of its own, so a resumed commit kept it as a file of
/// the version; it is now made in the write's own folder, beside its content, and the next commit removes it there.
/// </summary>
internal sealed partial class DatasetStoreTests
{
    [Test]
    public async Task CommitAsync_ReplacementLinkLeftInTheWritesFolderByACrash_RemovedAndAJobsFileNamedLikeTheOldOneKept()
    {
        _store.Create("d", null);
        var first = _store.BeginWrite("d", null);
        await File.WriteAllTextAsync(Path.Combine(first.ContentPath, "a"), "same");
        await _store.CommitAsync(first, CancellationToken.None);
        var write = _store.BeginWrite("d", null);
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "b"), "same"); // shares a's object: a replacement link
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "b.link-0123abcd"), "the job's own");
        var folder = Path.GetDirectoryName(write.ContentPath)!;
        await File.WriteAllTextAsync(Path.Combine(folder, ".link-89abcdef"), "same"); // what a crash leaves now

        var version = await _store.CommitAsync(write, CancellationToken.None);

        var content = _store.ContentPathOf("d", version.Version);
        var versionFolder = Path.GetDirectoryName(content)!;
        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFiles(content).Select(Path.GetFileName), Is.EquivalentTo(new[] { "b", "b.link-0123abcd" }), "the job's files, nothing more");
            Assert.That(version.Files, Is.EqualTo(2));
            Assert.That(Directory.GetFileSystemEntries(versionFolder).Select(Path.GetFileName), Has.None.StartsWith(".link-"), "the stray is removed");
        });
    }
}
