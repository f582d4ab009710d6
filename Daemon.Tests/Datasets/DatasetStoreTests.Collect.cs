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
    public async Task Collect_SparseFileAndAnObjectWithAnotherName_FreedCountsAllocatedBlocksOfFilesNoNameKeeps()
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
            Assert.That(pass.ObjectBytes, Is.EqualTo((256 * MiB) + MiB), "the objects' apparent size, as before");
            Assert.That(pass.FreedBytes, Is.LessThan(64 << 10), "the sparse file's one data block and folders; linked.bin is still on disk");
            Assert.That(File.Exists(elsewhere), Is.True);
        });
    }

    private static string RandomText(long length) => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes((int)(length / 2)));
}
