using System.Text;

namespace GradientNode.Daemon.Cli.Terminal;

/// <summary>
/// A write-only <see cref="Stream"/> for a log shown on a terminal: the bytes are read as UTF-8 (an invalid sequence
/// becomes U+FFFD), passed through <see cref="TerminalFilter.ForLogs"/> and written to <paramref name="inner"/> as UTF-8.
/// A character or SGR sequence split between two writes is kept whole; what still waits at <see cref="Dispose(bool)"/>
/// is written then (as text).
/// </summary>
internal sealed class TerminalSafeStream(Stream inner) : Stream
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Decoder _decoder = Utf8.GetDecoder();
    private readonly TerminalFilter _filter = TerminalFilter.ForLogs();
    private readonly StringBuilder _out = new();
    private bool _finished;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var bytes = Convert(buffer, flush: false);
        inner.Write(bytes);
    }

    public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        await WriteAsync(buffer.AsMemory(offset, count), cancellationToken);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var bytes = Convert(buffer.Span, flush: false);
        await inner.WriteAsync(bytes, cancellationToken);
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        Finish();
        await inner.FlushAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Finish();
            inner.Flush();
        }

        base.Dispose(disposing);
    }

    /// <summary>Writes what waits: a character cut short (U+FFFD) and an unfinished escape sequence (as text).</summary>
    private void Finish()
    {
        if (!_finished)
        {
            _finished = true;
            inner.Write(Convert([], flush: true));
        }
    }

    private byte[] Convert(ReadOnlySpan<byte> buffer, bool flush)
    {
        var chars = new char[_decoder.GetCharCount(buffer, flush)];
        var count = _decoder.GetChars(buffer, chars, flush);
        _out.Clear();
        _filter.Feed(chars.AsSpan(0, count), _out);
        if (flush)
        {
            _filter.Finish(_out);
        }

        return Utf8.GetBytes(_out.ToString());
    }
}
