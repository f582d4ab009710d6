using System.Text;
using GradientNode.Daemon.Api;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

/// <summary>A kept job log's last lines, read from the file's end (<c>workflows logs --tail N</c>).</summary>
[TestFixture]
[Category("Unit")]
internal sealed class KeptLogTailTests
{
    [Test]
    public async Task ReadAsync_LinesLongerThanTheBuffer_TheLastLinesWhole()
    {
        var text = "first line of twenty\nsecond line, longer than the buffer\nthird, also longer than four\n";

        var lines = await KeptLogTail.ReadAsync(Stream(text), 2, CancellationToken.None, bufferBytes: 4);

        Assert.That(lines, Is.EqualTo(new[] { "second line, longer than the buffer", "third, also longer than four" }));
    }

    [Test]
    public async Task ReadAsync_NoFinalNewline_TheUnendedLastLineCounts()
    {
        var lines = await KeptLogTail.ReadAsync(Stream("a\nb\nc"), 2, CancellationToken.None, bufferBytes: 2);

        Assert.That(lines, Is.EqualTo(new[] { "b", "c" }));
    }

    [Test]
    public async Task ReadAsync_MoreLinesAskedThanTheLogHas_EveryLine()
    {
        var lines = await KeptLogTail.ReadAsync(Stream("a\n\nb\n"), 100, CancellationToken.None, bufferBytes: 3);

        Assert.That(lines, Is.EqualTo(new[] { "a", string.Empty, "b" }), "an empty line is a line");
    }

    [Test]
    public async Task ReadAsync_EmptyLogOrNoLinesAsked_NoLines()
    {
        Assert.Multiple(async () =>
        {
            Assert.That(await KeptLogTail.ReadAsync(Stream(string.Empty), 10, CancellationToken.None), Is.Empty);
            Assert.That(await KeptLogTail.ReadAsync(Stream("a\nb\n"), 0, CancellationToken.None), Is.Empty);
        });
    }

    [Test]
    public async Task ReadAsync_CarriageReturnsAndMultiByteCharactersAcrossBuffers_SplitAtNewlineOnlyAsTheWholeLogIs()
    {
        // As KeptLines splits the whole log: a progress bar's \r stays in its line; "é" (2 bytes) straddles a buffer's edge.
        var text = "épochs\n10%\r20%\r30%\ndoné é\n";

        var lines = await KeptLogTail.ReadAsync(Stream(text), 2, CancellationToken.None, bufferBytes: 3);

        Assert.That(lines, Is.EqualTo(WorkflowLogsEndpoint.KeptLines(text).TakeLast(2)));
    }

    [Test]
    public async Task ReadAsync_LastLinesOfALongLog_ReadsTheirBytesAndOneBufferAtMostNotTheWholeLog()
    {
        // An 8 MiB kept log: 100 lines of it read about 100 lines' bytes (before, the endpoint read all 8 MiB to show any).
        var text = string.Concat(Enumerable.Range(0, 200_000).Select(i => $"line {i:D6} of a long training log\n"));
        var stream = new CountingStream(Encoding.UTF8.GetBytes(text));

        var lines = await KeptLogTail.ReadAsync(stream, 100, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Count.EqualTo(100));
            Assert.That(lines[0], Is.EqualTo("line 199900 of a long training log"));
            Assert.That(lines[^1], Is.EqualTo("line 199999 of a long training log"));
            Assert.That(stream.BytesRead, Is.LessThanOrEqualTo(KeptLogTail.BufferBytes + (100 * 35)), $"of {stream.Length} bytes");
        });
    }

    [Test]
    public async Task ReadAsync_AFile_TheLastLines()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gn-kept-tail-{Guid.NewGuid():N}.log");
        await File.WriteAllTextAsync(path, "a\nb\nc\n");
        try
        {
            Assert.That(await KeptLogTail.ReadAsync(path, 2, CancellationToken.None), Is.EqualTo(new[] { "b", "c" }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>A seekable stream over bytes that counts the bytes read from it (every read comes through <see cref="Read(byte[], int, int)"/>).</summary>
    private sealed class CountingStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => _inner.Length;

        public override long Position { get => _inner.Position; set => _inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = _inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
