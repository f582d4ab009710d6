using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace GradientNode.Core.Common;

/// <summary>
/// A file's data regions and holes, as the kernel keeps them (<c>lseek</c> with <c>SEEK_DATA</c>/<c>SEEK_HOLE</c>): a
/// sparse file's holes read as zeros but take no disk, so whoever walks the file can skip reading them. A file system
/// that does not tell (EINVAL, or not Linux) reports the whole file as data, which is always true.
/// </summary>
internal static partial class FileRegions
{
    private const int SeekData = 3;
    private const int SeekHole = 4;
    private const int EINVAL = 22;
    private const int ENXIO = 6;

    /// <summary>
    /// Where the next data region at or after <paramref name="offset"/> starts and where it ends (the next hole, or
    /// <paramref name="length"/>); (<paramref name="length"/>, <paramref name="length"/>) when only a hole is left.
    /// </summary>
    public static (long Start, long End) NextData(SafeFileHandle handle, long offset, long length)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (offset >= length)
        {
            return (length, length);
        }

        if (!OperatingSystem.IsLinux())
        {
            return (offset, length);
        }

        var start = Seek(handle, offset, SeekData, length);
        if (start is null)
        {
            return (offset, length); // the file system cannot tell: all of it is data
        }

        if (start >= length)
        {
            return (length, length);
        }

        var end = Seek(handle, start.Value, SeekHole, length) ?? length;
        return (start.Value, Math.Min(end, length));
    }

    /// <summary>The offset <c>lseek</c> gives, <paramref name="length"/> for ENXIO (no more data), null when the file system does not support it.</summary>
    private static long? Seek(SafeFileHandle handle, long offset, int whence, long length)
    {
        var at = LSeek(handle, offset, whence);
        if (at >= 0)
        {
            return at;
        }

        return Marshal.GetLastPInvokeError() switch
        {
            ENXIO => length,
            EINVAL => null,
            var errno => throw new IOException($"lseek failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno),
        };
    }

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long LSeek(SafeFileHandle fd, long offset, int whence);
}
