namespace GradientNode.Tests.Infrastructure;

/// <summary>A read-only body of <c>length</c> bytes of <c>fill</c> (as good as endless), counting what was read of it.</summary>
internal sealed class EndlessStream(long length, byte fill = (byte)'a') : Stream
{
    private long _position;

    /// <summary>How many bytes the reader took.</summary>
    public long BytesRead => Interlocked.Read(ref _position);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, length - _position);
        buffer.AsSpan(offset, n).Fill(fill);
        Interlocked.Add(ref _position, n);
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
