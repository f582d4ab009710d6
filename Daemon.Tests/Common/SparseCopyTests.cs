using GradientNode.Core.Common;
using GradientNode.Tests.Datasets;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

/// <summary>
/// A file copied by its data regions: its holes stay holes and are not read, the bytes read the same. On the real file
/// system (tmpfs and ext4 both say where their holes are).
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class SparseCopyTests
{
    private const int MiB = 1 << 20;
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("gn-sparsecopy-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task CopyFileAsync_SparseFileWithDataBetweenHoles_SameBytesAndTheHolesStayHoles()
    {
        var source = Path.Combine(_root, "disk.img");
        using (var file = new FileStream(source, FileMode.CreateNew))
        {
            file.SetLength(4L << 30); // 4 GiB, holes but for two small writes
            file.Position = 100 * MiB;
            file.Write("middle"u8);
            file.Position = (4L << 30) - 3;
            file.Write("end"u8);
        }

        var target = Path.Combine(_root, "copy.img");
        var length = await SparseCopy.CopyFileAsync(source, target, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(length, Is.EqualTo(4L << 30));
            Assert.That(new FileInfo(target).Length, Is.EqualTo(4L << 30));
            Assert.That(DatasetStoreTests.AllocatedBytes(target), Is.LessThan(MiB), "the holes are not written out");
            Assert.That(Read(target, 100 * MiB, 6), Is.EqualTo("middle"u8.ToArray()));
            Assert.That(Read(target, (4L << 30) - 3, 3), Is.EqualTo("end"u8.ToArray()));
            Assert.That(Read(target, 0, 16), Is.EqualTo(new byte[16]), "a hole reads as zeros");
        });
    }

    [Test]
    public async Task CopyFileAsync_DenseAndEmptyFilesAndATrailingHole_CopiedWhole()
    {
        var dense = Path.Combine(_root, "dense.bin");
        var bytes = new byte[3 * MiB + 17];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(dense, bytes);
        var empty = Path.Combine(_root, "empty");
        File.Create(empty).Dispose();
        var tail = Path.Combine(_root, "tail.bin");
        using (var file = new FileStream(tail, FileMode.CreateNew))
        {
            file.Write("head"u8);
            file.SetLength(64 * MiB);
        }

        await SparseCopy.CopyFileAsync(dense, dense + ".copy", CancellationToken.None);
        await SparseCopy.CopyFileAsync(empty, empty + ".copy", CancellationToken.None);
        await SparseCopy.CopyFileAsync(tail, tail + ".copy", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(dense + ".copy"), Is.EqualTo(bytes));
            Assert.That(new FileInfo(empty + ".copy").Length, Is.Zero);
            Assert.That(new FileInfo(tail + ".copy").Length, Is.EqualTo(64 * MiB));
            Assert.That(Read(tail + ".copy", 0, 4), Is.EqualTo("head"u8.ToArray()));
        });
    }

    private static byte[] Read(string path, long offset, int count)
    {
        using var file = File.OpenHandle(path);
        var buffer = new byte[count];
        RandomAccess.Read(file, buffer, offset);
        return buffer;
    }
}
