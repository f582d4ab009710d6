using GradientNode.Core.Common;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class FileStatusTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-filestatus-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void TryOf_LinkToAFileWithTwoNames_TheLinkItselfOrTheFileItLeadsTo()
    {
        var file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "hello");
        Assert.That(PosixFile.TryHardLink(file, Path.Combine(_dir, "second")));
        var link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, file);

        Assert.That(FileStatus.TryOf(link, followLinks: false, out var itself), Is.True);
        Assert.That(FileStatus.TryOf(link, followLinks: true, out var target), Is.True);
        Assert.That(FileStatus.TryOf(_dir, followLinks: false, out var folder), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That((itself.IsSymbolicLink, itself.IsRegular), Is.EqualTo((true, false)));
            Assert.That((target.IsRegular, target.Size, target.Links), Is.EqualTo((true, 5L, 2u)));
            Assert.That(target.Inode, Is.EqualTo(StatusOf(file).Inode).And.Not.EqualTo(itself.Inode));
            Assert.That(target.Device, Is.EqualTo(folder.Device));
            Assert.That(folder.IsDirectory, Is.True);
            Assert.That(target.Uid, Is.EqualTo(folder.Uid), "the owner of both is the user running the test");
        });
    }

    [Test]
    public void TryOf_MissingPath_FalseWithENOENT()
    {
        Assert.That(FileStatus.TryOf(Path.Combine(_dir, "absent"), followLinks: false, out _, out var errno), Is.False);
        Assert.That(errno, Is.EqualTo(2));
    }

    [Test]
    public void TryOf_SparseFile_AllocatedBytesLeaveOutItsHoles()
    {
        var sparse = Path.Combine(_dir, "sparse");
        using (var stream = File.Create(sparse))
        {
            stream.SetLength(64L << 20);
        }

        var status = StatusOf(sparse);

        Assert.That((status.Size, status.AllocatedBytes < (1L << 20)), Is.EqualTo((64L << 20, true)));
    }

    [Test]
    public void Of_OpenHandle_TheFilesInode()
    {
        var file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "x");
        using var handle = File.OpenHandle(file);

        Assert.That(FileStatus.Of(handle).Inode, Is.EqualTo(StatusOf(file).Inode));
    }

    private static FileStatus StatusOf(string path) =>
        FileStatus.TryOf(path, followLinks: false, out var status) ? status : throw new AssertionException($"no status for {path}");
}
