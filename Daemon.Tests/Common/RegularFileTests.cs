using GradientNode.Core.Common;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class RegularFileTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-regular-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task TryOpenForRead_Fifo_NullAtOnceWithoutAWriter()
    {
        // The open itself meets the fifo here (no path check before it): a file swapped for a fifo after a check of its
        // path is what the TLS loader opens, and a plain open for reading waits for a writer.
        var fifo = await MakeFifoAsync("swapped.key");

        var open = Task.Run(() => RegularFile.TryOpenForRead(fifo));
        var finished = await TestTimeouts.CompletesWithinAsync(open, TestTimeouts.Short);
        if (!finished)
        {
            // Release the blocked open (a writer arrives) so that the test run itself does not hang.
            await using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
        }

        Assert.That(finished, Is.True, "opening a fifo must not wait for a writer");
        using var handle = await open;
        Assert.That(handle, Is.Null);
    }

    [Test]
    public async Task TryOpenForRead_LinkToAFifo_NullAtOnce()
    {
        var fifo = await MakeFifoAsync("pipe");
        var link = Path.Combine(_dir, "link.pem");
        File.CreateSymbolicLink(link, fifo);

        var open = Task.Run(() => RegularFile.TryOpenForRead(link));
        var finished = await TestTimeouts.CompletesWithinAsync(open, TestTimeouts.Short);
        if (!finished)
        {
            await using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
        }

        Assert.That(finished, Is.True);
        using var handle = await open;
        Assert.That(handle, Is.Null);
    }

    [TestCase("/dev/zero")]
    [TestCase("/dev/null")]
    public void TryOpenForRead_Device_NullWithoutReading(string device)
    {
        using var handle = RegularFile.TryOpenForRead(device);

        Assert.That(handle, Is.Null);
    }

    [Test]
    public void TryOpenForRead_Folder_Null()
    {
        using var handle = RegularFile.TryOpenForRead(_dir);

        Assert.That(handle, Is.Null);
    }

    [Test]
    public void TryOpenForRead_RegularFile_ReadsItsBytesUpToTheBuffer()
    {
        var path = Path.Combine(_dir, "a.pem");
        File.WriteAllText(path, "-----BEGIN CERTIFICATE-----\n");

        using var handle = RegularFile.TryOpenForRead(path)!;
        var whole = new byte[100];
        var wholeLength = RegularFile.ReadAtMost(handle, whole);
        var cut = new byte[5];
        var cutLength = RegularFile.ReadAtMost(handle, cut);

        Assert.Multiple(() =>
        {
            Assert.That(System.Text.Encoding.ASCII.GetString(whole, 0, wholeLength), Is.EqualTo("-----BEGIN CERTIFICATE-----\n"));
            Assert.That(cutLength, Is.EqualTo(5));
        });
    }

    [Test]
    public void TryOpenForRead_Missing_FileNotFoundWithTheSystemsMessage()
    {
        // Typed as a FileStream's open would be: the specs dir's reader tells a file removed under it from an unreadable one.
        Assert.Multiple(() =>
        {
            Assert.That(() => RegularFile.TryOpenForRead(Path.Combine(_dir, "gone.pem")), Throws.TypeOf<FileNotFoundException>().With.Message.EqualTo("No such file or directory"));
            Assert.That(() => RegularFile.TryOpenForRead(Path.Combine(_dir, "gone", "x.pem")), Throws.TypeOf<FileNotFoundException>());
        });
    }

    [Test]
    public void TryOpenForRead_FolderOnTheWayIsAFile_DirectoryNotFound()
    {
        var file = Path.Combine(_dir, "plain");
        File.WriteAllText(file, "x");

        Assert.That(() => RegularFile.TryOpenForRead(Path.Combine(file, "x.pem")), Throws.TypeOf<DirectoryNotFoundException>().With.Message.EqualTo("Not a directory"));
    }

    private async Task<string> MakeFifoAsync(string name)
    {
        var path = Path.Combine(_dir, name);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", path))
        {
            await mkfifo.WaitForExitAsync();
            Assert.That(mkfifo.ExitCode, Is.Zero, "mkfifo");
        }

        return path;
    }
}
