using System.Formats.Tar;
using System.Runtime.InteropServices;

namespace GradientNode.Core.Common;

/// <summary>
/// What a path is (regular file, folder, link, device, fifo) without opening it, so that a fifo never blocks the
/// client; a socket, which tar has no type for, is an <see cref="IOException"/>. On Linux this is <c>statx</c> of the
/// path itself (<c>AT_SYMLINK_NOFOLLOW</c>). Elsewhere, as .NET has no public <c>lstat</c>, <see cref="TarWriter"/> stats
/// the path and the type flag of the header it writes is read (nothing past the header is written or read); that
/// header is ustar's, which cannot hold a size of 8 GiB or more nor a uid past 2,097,151, so on Linux it is not used:
/// a 9 GB file in a job's dataset output, a model or dataset upload, failed with "the value … is greater than the
/// format allows".
/// </summary>
public static partial class FileKind
{

    public static TarEntryType Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return OperatingSystem.IsLinux() ? OfLinux(path) : OfTarHeader(path);
    }

    /// <summary>Whether <paramref name="path"/> itself (not a link's target) is a regular file; a socket is not.</summary>
    public static bool IsRegular(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return OperatingSystem.IsLinux()
            ? (ModeOf(path) & 0xF000) == 0x8000
            : OfTarHeader(path) is TarEntryType.RegularFile or TarEntryType.V7RegularFile;
    }

    private static TarEntryType OfLinux(string path) => (ModeOf(path) & 0xF000) switch // S_IFMT
    {
        0x8000 => TarEntryType.RegularFile,
        0x4000 => TarEntryType.Directory,
        0xA000 => TarEntryType.SymbolicLink,
        0x1000 => TarEntryType.Fifo,
        0x2000 => TarEntryType.CharacterDevice,
        0x6000 => TarEntryType.BlockDevice,
        _ => throw new IOException($"{path} is a socket or another kind of file that is not supported"),
    };

    private static int ModeOf(string path)
    {
        if (!FileStatus.TryOf(path, followLinks: false, out var status, out var errno))
        {
            var message = $"cannot stat {path}: {Marshal.GetPInvokeErrorMessage(errno)}";
            throw errno == 2 ? new FileNotFoundException(message, path) : new IOException(message, errno); // ENOENT
        }

        return status.Type;
    }

    private static TarEntryType OfTarHeader(string path)
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
