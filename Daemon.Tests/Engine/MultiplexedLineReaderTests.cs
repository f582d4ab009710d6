using System.Buffers.Binary;
using System.Text;
using Docker.DotNet;
using GradientNode.Core.Engine;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

/// <summary>Line splitting on top of the library's <see cref="MultiplexedStream"/> (which reads the frame headers).</summary>
[TestFixture]
[Category("Unit")]
internal sealed class MultiplexedLineReaderTests
{
    [Test]
    public async Task ReadAsync_MultiplexedFrames_SplitsStdoutAndStderr()
    {
        var body = Frames((1, "out 1\nout 2\n"), (2, "err 1\n"));

        var lines = await ReadAllAsync(body, multiplexed: true);

        Assert.That(lines, Is.EqualTo(new[]
        {
            new LogLine(LogStream.Stdout, "out 1", null),
            new LogLine(LogStream.Stdout, "out 2", null),
            new LogLine(LogStream.Stderr, "err 1", null),
        }));
    }

    [Test]
    public async Task ReadAsync_LineSplitAcrossFrames_IsJoined()
    {
        var body = Frames((1, "hel"), (2, "oops\n"), (1, "lo\nwor"), (1, "ld\n"));

        var lines = await ReadAllAsync(body, multiplexed: true);

        Assert.That(lines, Is.EqualTo(new[]
        {
            new LogLine(LogStream.Stderr, "oops", null),
            new LogLine(LogStream.Stdout, "hello", null),
            new LogLine(LogStream.Stdout, "world", null),
        }));
    }

    [Test]
    public async Task ReadAsync_MultiByteCharSplitAcrossFrames_DecodesWhole()
    {
        var euro = Encoding.UTF8.GetBytes("€\n");
        var body = Frames((1, euro[..1]), (1, euro[1..]));

        var lines = await ReadAllAsync(body, multiplexed: true);

        Assert.That(lines.Single().Text, Is.EqualTo("€"));
    }

    [Test]
    public async Task ReadAsync_UnterminatedLastLine_IsFlushed()
    {
        var lines = await ReadAllAsync(Frames((1, "a\nb")), multiplexed: true);

        Assert.That(lines.Select(l => l.Text), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void ReadAsync_TruncatedFrame_ThrowsEndOfStream()
    {
        var full = Frames((1, "complete\n"), (1, "partial line that is cut\n"));

        Assert.ThrowsAsync<EndOfStreamException>(() => ReadAllAsync(full[..^10], multiplexed: true));
    }

    [Test]
    public async Task ReadAsync_RawTtyStream_IsAllStdoutWithoutCarriageReturns()
    {
        var body = Encoding.UTF8.GetBytes("one\r\ntwo\r\n");

        var lines = await ReadAllAsync(body, multiplexed: false);

        Assert.That(lines, Is.EqualTo(new[]
        {
            new LogLine(LogStream.Stdout, "one", null),
            new LogLine(LogStream.Stdout, "two", null),
        }));
    }

    [Test]
    public async Task ReadAsync_Timestamps_ParsesRfc3339NanoPrefix()
    {
        var body = Frames((1, "2026-11-22T07:39:26.119689526Z hello world\n"), (2, "not-a-time text\n"));

        var lines = await ReadAllAsync(body, multiplexed: true, timestamps: true);

        Assert.Multiple(() =>
        {
            Assert.That(lines[0].Text, Is.EqualTo("hello world"));
            Assert.That(lines[0].Timestamp, Is.EqualTo(new DateTimeOffset(2026, 11, 22, 7, 39, 26, TimeSpan.Zero).AddTicks(1196895)));
            Assert.That(lines[1], Is.EqualTo(new LogLine(LogStream.Stderr, "not-a-time text", null)));
        });
    }

    [Test]
    public async Task ReadAsync_EmptyBody_YieldsNothing() =>
        Assert.That(await ReadAllAsync([], multiplexed: true), Is.Empty);

    [Test]
    public async Task ReadAsync_StreamDeliveringOneByteAtATime_StillDemultiplexes()
    {
        var body = Frames((1, "slow\n"), (2, "drip\n"));

        var lines = await ReadAllAsync(new OneByteStream(body), multiplexed: true);

        Assert.That(lines, Is.EqualTo(new[] { new LogLine(LogStream.Stdout, "slow", null), new LogLine(LogStream.Stderr, "drip", null) }));
    }

    private static Task<List<LogLine>> ReadAllAsync(byte[] body, bool multiplexed, bool timestamps = false) =>
        ReadAllAsync(new MemoryStream(body), multiplexed, timestamps);

    private static async Task<List<LogLine>> ReadAllAsync(Stream body, bool multiplexed, bool timestamps = false)
    {
        using var stream = new MultiplexedStream(body, multiplexed);
        var lines = new List<LogLine>();
        await foreach (var line in MultiplexedLineReader.ReadAsync(stream, timestamps, CancellationToken.None))
        {
            lines.Add(line);
        }

        return lines;
    }

    private static byte[] Frames(params (byte Stream, string Text)[] frames) =>
        Frames([.. frames.Select(f => (f.Stream, Encoding.UTF8.GetBytes(f.Text)))]);

    private static byte[] Frames(params (byte Stream, byte[] Payload)[] frames)
    {
        using var output = new MemoryStream();
        foreach (var (stream, payload) in frames)
        {
            var header = new byte[8];
            header[0] = stream;
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)payload.Length);
            output.Write(header);
            output.Write(payload);
        }

        return output.ToArray();
    }

    /// <summary>A socket-like stream that hands out one byte per read.</summary>
    private sealed class OneByteStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(1, count), cancellationToken);
    }
}
