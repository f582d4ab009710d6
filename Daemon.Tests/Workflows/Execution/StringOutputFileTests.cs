using System.Diagnostics;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A string output is read by the daemon, as root, from the host side of the job's <c>/outputs</c>: only a regular
/// file is read, so a job cannot turn <c>/outputs/NAME</c> into a link to a host file (whose content would land in the
/// run's status) or a fifo (which would block the runner forever).
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class StringOutputFileTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-string-output-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task ReadAsync_RegularFile_BytesVerbatim()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "s"), "hello\n");

        var (value, problem) = await StringOutputFile.ReadAsync(_dir, "s", CancellationToken.None);

        Assert.That((value, problem), Is.EqualTo(("hello\n", (string?)null)));
    }

    [Test]
    public async Task ReadAsync_NotUtf8_ProblemNamesTheByteAndItsOffset()
    {
        await File.WriteAllBytesAsync(Path.Combine(_dir, "s"), [(byte)'o', (byte)'k', 0xC3, 0xA9, 0x00, 0xFF, 0xFE]);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "cut"), [(byte)'a', 0xE2, 0x82]);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "fine"), [0xC3, 0xA9, 0x00, (byte)'\n']);

        var bad = await StringOutputFile.ReadAsync(_dir, "s", CancellationToken.None);
        var cut = await StringOutputFile.ReadAsync(_dir, "cut", CancellationToken.None);
        var fine = await StringOutputFile.ReadAsync(_dir, "fine", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(bad, Is.EqualTo(((string?)null, "string output 's': /outputs/s is not UTF-8 text: byte 0xFF at offset 5 (write binary data to a dataset or volume output)")),
                "not U+FFFD in place of what the job wrote");
            Assert.That(cut.Problem, Does.Contain("byte 0xE2 at offset 1"), "a character cut short at the end");
            Assert.That(fine, Is.EqualTo(("\u00e9\0\n", (string?)null)), "UTF-8 with a NUL byte is text");
        });
    }

    [Test]
    public async Task ReadAsync_LinkToAHostFile_RefusedNotFollowed()
    {
        var secret = Path.Combine(_dir, "host-secret");
        await File.WriteAllTextAsync(secret, "HOST-ONLY");
        File.CreateSymbolicLink(Path.Combine(_dir, "s"), secret);

        var (value, problem) = await StringOutputFile.ReadAsync(_dir, "s", CancellationToken.None);

        Assert.That(value, Is.Null);
        Assert.That(problem, Does.Contain("/outputs/s is a symbolic link").And.Not.Contain("HOST-ONLY"));
    }

    [Test]
    public async Task ReadAsync_Fifo_RefusedWithoutBlocking()
    {
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(_dir, "s")))
        {
            await mkfifo.WaitForExitAsync();
        }

        var read = StringOutputFile.ReadAsync(_dir, "s", CancellationToken.None);

        Assert.That(await TestTimeouts.CompletesWithinAsync(read, TestTimeouts.Short), Is.True, "a fifo must not block the runner");
        Assert.That((await read).Problem, Does.Contain("/outputs/s is not a regular file"));
    }

    [Test]
    public async Task ReadAsync_MissingFolderOrTooLarge_ProblemSaysWhich()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "folder"));
        await File.WriteAllBytesAsync(Path.Combine(_dir, "big"), new byte[RunLimits.StringOutputBytes + 1]);

        var missing = await StringOutputFile.ReadAsync(_dir, "none", CancellationToken.None);
        var folder = await StringOutputFile.ReadAsync(_dir, "folder", CancellationToken.None);
        var big = await StringOutputFile.ReadAsync(_dir, "big", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(missing.Problem, Is.EqualTo("string output 'none': the job did not write the file /outputs/none"));
            Assert.That(folder.Problem, Does.Contain("/outputs/folder is a folder"));
            Assert.That(big.Problem, Is.EqualTo($"string output 'big' is {RunLimits.StringOutputBytes + 1} bytes, more than the {RunLimits.StringOutputBytes}-byte cap (write larger results to a dataset or volume output)"));
        });
    }

    [Test]
    public async Task ReadAsync_SparseFileOfNineGibOrASocket_ProblemSaysWhichWithoutReadingIt()
    {
        using (var file = File.Create(Path.Combine(_dir, "huge")))
        {
            file.SetLength(9L << 30); // past ustar's 8 GiB: the type check used to throw on it
        }

        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(_dir, "sock")));

        var huge = await StringOutputFile.ReadAsync(_dir, "huge", CancellationToken.None);
        var sock = await StringOutputFile.ReadAsync(_dir, "sock", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(huge.Problem, Is.EqualTo($"string output 'huge' is {9L << 30} bytes, more than the {RunLimits.StringOutputBytes}-byte cap (write larger results to a dataset or volume output)"));
            Assert.That(sock.Problem, Does.Contain("/outputs/sock is not a regular file (a fifo, device or socket)"));
        });
    }
}
