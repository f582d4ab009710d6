using System.Globalization;
using System.Text;

namespace GradientNode.Core.Integrations;

/// <summary>
/// A read-only, forward-only view of an uploaded tar stream that follows its 512-byte blocks as <c>TarReader</c> reads
/// them and refuses a metadata entry (a pax <c>x</c>/<c>g</c> header, a GNU <c>L</c>/<c>K</c> long name) whose declared
/// size is over <see cref="MaxMetadataBytes"/> before the reader sees its header. <c>TarReader</c> allocates such an
/// entry's whole declared size (up to 2 GiB) at once and then holds it as a string several times over, so one upload
/// that declares 2 GiB of "long name" made the root daemon hold gigabytes; a few at once ended it. The view hides
/// seeking, so the reader always reads through it; <see cref="CheckEntry"/> then confirms after each entry that the
/// reader and this view agree on where its data starts (else the upload is refused: a view that lost its place could
/// miss the next header).
/// </summary>
internal sealed class TarMetadataGuard(Stream inner) : Stream
{
    /// <summary>The most a metadata entry may declare: ample for any path or pax record a real archive holds.</summary>
    public const int MaxMetadataBytes = 1 << 20;

    private const int Block = 512;
    private const int SizeAt = 124;
    private const int SizeLength = 12;
    private const int ChecksumAt = 148;
    private const int ChecksumLength = 8;
    private const int TypeAt = 156;

    private readonly byte[] _header = new byte[Block];
    private int _headerFill;
    private long _skip;
    private long _entrySize;
    private byte[]? _pax;
    private int _paxFill;
    private long? _paxSize;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// After the reader returned an entry: a file's data (<paramref name="dataLength"/> bytes) must be exactly what this
    /// view expects next, unread; any other entry must have left the stream at a block boundary.
    /// </summary>
    public void CheckEntry(bool hasData, long dataLength)
    {
        var agreed = hasData
            ? _headerFill == 0 && _pax is null && _entrySize == dataLength && _skip == Padded(dataLength)
            : _headerFill == 0 && _skip == 0;
        if (!agreed)
        {
            throw new InvalidDataException("its entries' sizes cannot be followed (a header or pax size the node reads differently)");
        }
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Inspect(buffer.AsSpan(offset, read));
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Inspect(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static long Padded(long size) => size + ((Block - (size % Block)) % Block);

    private void Inspect(ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            if (_skip > 0)
            {
                var take = (int)Math.Min(_skip, bytes.Length);
                if (_pax is not null && _paxFill < _pax.Length)
                {
                    var copy = Math.Min(take, _pax.Length - _paxFill);
                    bytes[..copy].CopyTo(_pax.AsSpan(_paxFill));
                    _paxFill += copy;
                }

                _skip -= take;
                bytes = bytes[take..];
                if (_skip == 0 && _pax is not null)
                {
                    _paxSize = PaxSize(_pax);
                    _pax = null;
                }

                continue;
            }

            var fill = Math.Min(Block - _headerFill, bytes.Length);
            bytes[..fill].CopyTo(_header.AsSpan(_headerFill));
            _headerFill += fill;
            bytes = bytes[fill..];
            if (_headerFill == Block)
            {
                _headerFill = 0;
                OnHeader();
            }
        }
    }

    private void OnHeader()
    {
        var checksum = _header.AsSpan(ChecksumAt, ChecksumLength);
        if (!checksum.ContainsAnyExcept((byte)0) || Octal(checksum) is null or 0)
        {
            return; // an empty block (the end of the archive) or one the reader refuses itself
        }

        var type = (char)_header[TypeAt];
        var field = _header.AsSpan(SizeAt, SizeLength);
        if (type is 'x' or 'g' or 'L' or 'K')
        {
            var declared = Octal(field);
            if (declared is not { } size || size > MaxMetadataBytes)
            {
                throw new InvalidDataException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"a '{type}' metadata entry declares {(declared is { } d ? $"{d} bytes" : "a size that is not octal")}, over the node's limit of {MaxMetadataBytes} bytes for a path or pax header"));
            }

            _skip = Padded(size);
            _pax = type == 'x' && size > 0 ? new byte[size] : null;
            _paxFill = 0;
            if (type == 'x')
            {
                _paxSize = null;
            }

            return;
        }

        _entrySize = _paxSize ?? Numeric(field) ?? throw new InvalidDataException("an entry's size field is not a number");
        _paxSize = null;
        _skip = Padded(_entrySize);
    }

    /// <summary>An octal field (leading spaces, then digits, then NULs or spaces), or null when it is anything else.</summary>
    private static long? Octal(ReadOnlySpan<byte> field)
    {
        var text = Encoding.ASCII.GetString(field).Trim(' ', '\0');
        if (text.Length == 0)
        {
            return 0;
        }

        long value = 0;
        foreach (var c in text)
        {
            if (c is < '0' or > '7' || value > (long.MaxValue >> 3))
            {
                return null;
            }

            value = (value << 3) + (c - '0');
        }

        return value;
    }

    /// <summary>An octal size, or the base-256 form (first byte 0x80) GNU tar writes for sizes of 8 GiB and more.</summary>
    private static long? Numeric(ReadOnlySpan<byte> field)
    {
        if (field[0] != 0x80)
        {
            return Octal(field);
        }

        long value = 0;
        foreach (var b in field[1..])
        {
            if (value > (long.MaxValue >> 8))
            {
                return null;
            }

            value = (value << 8) | b;
        }

        return value;
    }

    /// <summary>The <c>size</c> record of a pax header (<c>LEN size=N\n</c>), if it has one.</summary>
    private static long? PaxSize(byte[] pax)
    {
        foreach (var line in Encoding.UTF8.GetString(pax).Split('\n'))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && line.AsSpan(space + 1).StartsWith("size=", StringComparison.Ordinal))
            {
                return long.TryParse(line.AsSpan(space + 6), NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                    ? size
                    : throw new InvalidDataException("a pax 'size' record is not a number");
            }
        }

        return null;
    }
}
