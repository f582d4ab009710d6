using System.Formats.Tar;

namespace GradientNode.Core.Common;

/// <summary>
/// What a path is (regular file, folder, link, device, fifo, socket) without opening it, so that a fifo never blocks
/// the client: .NET has no public <c>lstat</c>, so this lets <see cref="TarWriter"/> stat the path and reads the type
/// flag of the header it writes (nothing past the header is written or read).
/// </summary>
public static class FileKind
{
    public static TarEntryType Of(string path)
    {
        using var probe = new HeaderProbe();
        try
        {
            using var writer = new TarWriter(probe, TarEntryFormat.Ustar, leaveOpen: true);
            writer.WriteEntry(path, "probe");
        }
        catch (HeaderProbe.EnoughException)
        {
            // The header is in: a regular file's content is not read.
        }

        return probe.Type ?? throw new IOException($"cannot stat {path}");
    }

    private sealed class HeaderProbe : Stream
    {
        private readonly byte[] _header = new byte[512];
        private int _length;

        public TarEntryType? Type => _length >= 512 ? (TarEntryType)_header[156] : null;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_length >= 512)
            {
                throw new EnoughException();
            }

            var take = Math.Min(buffer.Length, 512 - _length);
            buffer[..take].CopyTo(_header.AsSpan(_length));
            _length += take;
            if (take < buffer.Length)
            {
                throw new EnoughException();
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        internal sealed class EnoughException : Exception;
    }
}
