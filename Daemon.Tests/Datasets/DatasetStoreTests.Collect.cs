using GradientNode.Core.Common;
using GradientNode.Core.Datasets;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

/// <summary>
/// A gc pass over the store and its dry run (<see cref="DatasetStore.Collect"/>), on the real file system: the dry run finds
/// what the pass removes and removes nothing; the freed figure is what the disk gets back (a file another version shares
/// frees nothing, a sparse file its data only, a leftover staging folder its files), checked against <c>du -B1</c>.
/// </summary>
internal sealed partial class DatasetStoreTests
{
    [Test]
    public async Task Collect_DryRunThenPass_SameReportAndOnlyThePassRemoves()
    {
        _store.Create("d", null);
        var shared = RandomText(MiB);
        var old = await CommitAsync("d", ("shared.bin", shared), ("unique.bin", RandomText(MiB)));
        _time.Advance(TimeSpan.FromSeconds(1));
        var kept = await CommitAsync("d", ("shared.bin", shared));
        var leftover = _store.BeginWrite("d", null); // a write a crashed daemon left: the store below never opened it
        await File.WriteAllTextAsync(Path.Combine(leftover.ContentPath, "part.bin"), RandomText(MiB / 2));
        var unique = _store.ManifestOf(old).Entries.Single(e => e.Path == "unique.bin").Sha256;
        var uniqueBytes = AllocatedBytes(Path.Combine(_root, ".objects", unique[..2], unique));
        var partBytes = AllocatedBytes(Path.Combine(leftover.ContentPath, "part.bin"));
        var restarted = new DatasetStore(_root, _time);

        var dry = restarted.Collect([old], _ => false, dryRun: true);
        var stillThere = (Versions: restarted.Versions("d").Count, Staging: Directory.Exists(Path.GetDirectoryName(leftover.ContentPath)), Object: File.Exists(Path.Combine(_root, ".objects", unique[..2], unique)));
        var pass = restarted.Collect([old], _ => false, dryRun: false);

        Assert.Multiple(() =>
        {
            Assert.That(dry.Versions.Select(v => v.Id), Is.EqualTo(new[] { old.Id }));
            Assert.That(dry.Staging.Select(s => s.Folder), Is.EqualTo(new[] { leftover.Id }));
            Assert.That(dry.Staging.Single().Bytes, Is.GreaterThanOrEqualTo(MiB / 2).And.LessThan((MiB / 2) + 1024), "the staging folder's apparent size (its file and write.json)");
            Assert.That(dry.Objects, Is.EqualTo(1), "only unique.bin: shared.bin stays with the kept version");
            Assert.That(dry.ObjectBytes, Is.EqualTo(MiB));
            Assert.That(dry.FreedBytes, Is.GreaterThanOrEqualTo(uniqueBytes + partBytes).And.LessThan(uniqueBytes + partBytes + (64 << 10)),
                "unique.bin's object and the staging file; not shared.bin, which the kept version still links");
            Assert.That(stillThere, Is.EqualTo((2, true, true)), "the dry run removed nothing");
            Assert.That(pass with { Versions = [], Staging = [] }, Is.EqualTo(dry with { Versions = [], Staging = [] }), "the pass removes what the dry run named, and says the same");
            Assert.That(restarted.Versions("d").Select(v => v.Id), Is.EqualTo(new[] { kept.Id }));
            Assert.That(Directory.Exists(Path.GetDirectoryName(leftover.ContentPath)), Is.False);
            Assert.That(File.ReadAllText(Path.Combine(restarted.ContentPathOf("d", kept.Version), "shared.bin")), Is.EqualTo(shared));
        });
    }

    [Test]
    public async Task Collect_SparseFileAndAnObjectWithAnotherName_FreedCountsAllocatedBlocksAndTheLinkedObjectStays()
    {
        _store.Create("disk", null);
        var write = _store.BeginWrite("disk", null);
        WriteSparse(Path.Combine(write.ContentPath, "disk.img"), 256 * MiB, (MiB, "data"u8.ToArray()));
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "linked.bin"), RandomText(MiB));
        var old = await _store.CommitAsync(write, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await CommitAsync("disk", ("new.txt", "new"));
        var linked = _store.ManifestOf(old).Entries.Single(e => e.Path == "linked.bin").Sha256;
        var elsewhere = Path.Combine(Path.GetDirectoryName(_root)!, "elsewhere.bin");
        PosixFile.HardLink(Path.Combine(_root, ".objects", linked[..2], linked), elsewhere); // a name outside the store keeps it

        var pass = _store.Collect([old], _ => false, dryRun: false);

        Assert.Multiple(() =>
        {
            Assert.That(pass.ObjectBytes, Is.EqualTo(256 * MiB), "the removed object's apparent size, holes included");
            Assert.That(pass.FreedBytes, Is.LessThan(64 << 10), "the sparse file's one data block and folders");
            Assert.That(File.Exists(Path.Combine(_root, ".objects", linked[..2], linked)), Is.True, "an object with a name elsewhere stays: removing it frees nothing");
            Assert.That(File.Exists(elsewhere), Is.True);
        });
    }

    [Test]
    public async Task RemoveVersions_PassWhileACommitHasLinkedItsFilesButNotWrittenItsManifest_TheirObjectsStaySharedByLaterVersions()
    {
        // Before, a pass in that window removed the pool's names of the files the commit had just shared: the version kept
        // its files, but a later version with the same content no longer shared them (the disk held it twice).
        _store.Create("d", null);
        var content = RandomText(MiB);
        var write = _store.BeginWrite("d", null);
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "a.bin"), content);
        var swept = -1;
        var first = await _store.CommitAsync(write, CancellationToken.None, progress: p =>
        {
            if (p.Done == p.Total && p.Total > 0)
            {
                swept = _store.RemoveVersions([]).Objects; // a gc pass between the last link and the manifest
            }
        });
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = await CommitAsync("d", ("a.bin", content));

        Assert.Multiple(() =>
        {
            Assert.That(swept, Is.Zero, "the object a commit is linking to is not an orphan");
            Assert.That(Inode(Path.Combine(_store.ContentPathOf("d", second.Version), "a.bin")), Is.EqualTo(Inode(Path.Combine(_store.ContentPathOf("d", first.Version), "a.bin"))), "one inode for both versions");
        });
    }

    private static string Inode(string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%i", "--", path]) { RedirectStandardOutput = true })!;
        var output = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return output;
    }

    private static string RandomText(long length) => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes((int)(length / 2)));
}
