using System.Formats.Tar;
using System.Net.Sockets;
using GradientNode.Core.Common;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

/// <summary>
/// What a path is, without opening it. The ustar header it was read from before could not hold a size of 8 GiB or
/// more, so a 9 GB file (a model shard, a job's dataset output) threw "the value … is greater than the format allows"
/// instead of being a regular file; a socket, which tar has no type for, is not a regular file.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class FileKindTests
{
    private const long NineGib = 9L << 30;

    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-filekind-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Of_SparseFileOfNineGib_RegularFile()
    {
        var path = Path.Combine(_dir, "big");
        using (var file = File.Create(path))
        {
            file.SetLength(NineGib); // sparse: no block is written
        }

        Assert.Multiple(() =>
        {
            Assert.That(FileKind.Of(path), Is.EqualTo(TarEntryType.RegularFile));
            Assert.That(FileKind.IsRegular(path), Is.True);
        });
    }

    [Test]
    public async Task Of_LinkFolderAndFifo_EachItsKindAndTheLinkNotFollowed()
    {
        var link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, "/etc/passwd");
        var fifo = Path.Combine(_dir, "fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
        }

        Assert.Multiple(() =>
        {
            Assert.That(FileKind.Of(link), Is.EqualTo(TarEntryType.SymbolicLink));
            Assert.That(FileKind.IsRegular(link), Is.False);
            Assert.That(FileKind.Of(_dir), Is.EqualTo(TarEntryType.Directory));
            Assert.That(FileKind.Of(fifo), Is.EqualTo(TarEntryType.Fifo));
            Assert.That(FileKind.Of("/dev/null"), Is.EqualTo(TarEntryType.CharacterDevice));
            Assert.That(() => FileKind.Of(Path.Combine(_dir, "missing")), Throws.InstanceOf<FileNotFoundException>());
        });
    }

    [Test]
    public void IsRegular_UnixSocket_FalseWhereOfSaysItIsNotSupported()
    {
        var path = Path.Combine(_dir, "sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));

        Assert.Multiple(() =>
        {
            Assert.That(FileKind.IsRegular(path), Is.False);
            Assert.That(() => FileKind.Of(path), Throws.InstanceOf<IOException>().With.Message.Contains("is a socket"));
        });
    }
}
