using GradientNode.Core.Common;
using GradientNode.Tests.Datasets;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

/// <summary>
/// What removing some trees frees, on the real file system, against <c>du -B1</c>: allocated blocks (a sparse file's holes
/// count nothing), a file with two names under the trees once, one that keeps a name elsewhere not at all.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class DiskUsageTests
{
    private const int MiB = 1 << 20;
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("gn-diskusage-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Freed_HardLinkedSparseAndKeptFiles_CountsEachInodeOnceAndOnlyWhenNoNameStays()
    {
        var doomed = Directory.CreateDirectory(Path.Combine(_root, "doomed")).FullName;
        var kept = Directory.CreateDirectory(Path.Combine(_root, "kept")).FullName;
        File.WriteAllBytes(Path.Combine(doomed, "a.bin"), Random(MiB));
        PosixFile.HardLink(Path.Combine(doomed, "a.bin"), Path.Combine(doomed, "a-again.bin")); // two names, both going
        File.WriteAllBytes(Path.Combine(doomed, "shared.bin"), Random(MiB));
        PosixFile.HardLink(Path.Combine(doomed, "shared.bin"), Path.Combine(kept, "shared.bin")); // a name that stays
        using (var sparse = new FileStream(Path.Combine(doomed, "sparse.img"), FileMode.CreateNew))
        {
            sparse.SetLength(256L * MiB); // holes only
        }

        var alone = Path.Combine(_root, "alone.bin");
        File.WriteAllBytes(alone, Random(MiB / 2));
        var expected = DatasetStoreTests.AllocatedBytes(Path.Combine(doomed, "a.bin")) + DatasetStoreTests.AllocatedBytes(alone);

        var freed = DiskUsage.Freed([doomed, alone, Path.Combine(_root, "not-there")]);

        Assert.Multiple(() =>
        {
            Assert.That(freed, Is.GreaterThanOrEqualTo(expected).And.LessThanOrEqualTo(expected + (64 << 10)), "a.bin once, alone.bin, the folder; not shared.bin, no holes");
            Assert.That(DiskUsage.ApparentSize(doomed), Is.EqualTo((3L * MiB) + (256L * MiB)), "the apparent size counts every name in full");
            Assert.That(DiskUsage.Freed([Path.Combine(doomed, "shared.bin"), Path.Combine(kept, "shared.bin")]), Is.EqualTo(DatasetStoreTests.AllocatedBytes(Path.Combine(kept, "shared.bin"))), "both names going: counted");
        });
    }

    private static byte[] Random(int length)
    {
        var bytes = new byte[length];
        System.Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
