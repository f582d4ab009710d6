using System.Runtime.Versioning;
using GradientNode.Core.Common;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
[SupportedOSPlatform("linux")]
internal sealed class AtomicFileTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-atomic-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Write_ExistingFile_ReplacesContentWithTheModeAndLeavesNoTempFile()
    {
        var path = Path.Combine(_dir, "state.json");
        File.WriteAllText(path, "old content that is longer");

        AtomicFile.Write(path, "new"u8, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead));
            Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { path }));
        });
    }

    [Test]
    public async Task WriteAsync_NewFile_IsOwnerOnlyByDefault()
    {
        var path = Path.Combine(_dir, "secret");

        await AtomicFile.WriteAsync(path, "v"u8.ToArray(), AtomicFile.OwnerOnly, CancellationToken.None);

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void TryDelete_FileMissingOrThere_DeletedAndTrue()
    {
        var path = Path.Combine(_dir, "state");
        File.WriteAllText(path, "x");

        Assert.Multiple(() =>
        {
            Assert.That(AtomicFile.TryDelete(path), Is.True);
            Assert.That(File.Exists(path), Is.False);
            Assert.That(AtomicFile.TryDelete(path), Is.True, "nothing to delete is not a failure");
        });
    }

    [Test]
    public void TryDelete_PathTheDiskRefuses_FalseWithoutThrowing()
    {
        // A path under a regular file: the disk refuses it (ENOTDIR), as it refuses a read-only or lost mount.
        var file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "x");

        Assert.That(AtomicFile.TryDelete(Path.Combine(file, "child")), Is.False);
    }

    [Test]
    public void FlushDirectory_ExistingDirectory_Succeeds()
    {
        // Durability after a power loss cannot be observed in a test; this proves the open + fsync path runs cleanly.
        Assert.That(() => PosixFile.FlushDirectory(_dir), Throws.Nothing);
    }

    [Test]
    public void FlushDirectory_MissingDirectory_ThrowsIOExceptionWithTheErrno()
    {
        var missing = Path.Combine(_dir, "absent");

        var ex = Assert.Throws<IOException>(() => PosixFile.FlushDirectory(missing));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.HResult, Is.EqualTo(2), "ENOENT: the directory is really opened");
            Assert.That(ex.Message, Does.Contain(missing));
        });
    }

    [Test]
    public void WriteTogether_SecondFileFindsNoRoom_NeitherTargetChangesAndTheErrorNamesTheTarget()
    {
        using var disk = GradientNode.Tests.Infrastructure.FullTmpfs.Mount();
        var key = Path.Combine(disk.Path, "a.key");
        var cert = Path.Combine(disk.Path, "a.crt");
        File.WriteAllText(key, "old key");
        File.WriteAllText(cert, "old cert");
        disk.Fill();
        disk.Free(4096); // the first file fits, the second does not

        var error = Assert.Throws<IOException>(() => AtomicFile.WriteTogether([(key, "new key"u8.ToArray(), AtomicFile.OwnerOnly), (cert, new byte[8192], AtomicFile.OwnerOnly)]));

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(key), Is.EqualTo("old key"), "not replaced alone");
            Assert.That(File.ReadAllText(cert), Is.EqualTo("old cert"));
            Assert.That(error!.Message, Is.EqualTo($"{cert}: No space left on device"));
            Assert.That(error.HResult, Is.EqualTo(28));
            Assert.That(Directory.GetFiles(disk.Path, ".*"), Is.Empty, "no temp file left");
        });
    }
}
