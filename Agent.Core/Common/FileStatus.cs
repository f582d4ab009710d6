using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace GradientNode.Core.Common;

/// <summary>
/// What Linux's <c>statx</c> says of one file, read without opening it (so a fifo never blocks) and, when asked, without
/// following a last symbolic link: its type and permissions, owner and group, names, inode and device, size and the
/// bytes its blocks take. The one place the node calls <c>statx</c> and reads <c>struct statx</c> (the same layout on every
/// architecture); the link checks (<see cref="LinkOwners"/>), file kinds (<see cref="FileKind"/>), regular-file opens
/// (<see cref="RegularFile"/>), disk figures (<see cref="DiskUsage"/>) and the daemon's owner lookups ask it. Linux only.
/// </summary>
/// <param name="Mode">The type (<c>S_IFMT</c> bits) and permission bits.</param>
/// <param name="Device">The device the file lives on, major in the high and minor in the low 32 bits.</param>
/// <param name="AllocatedBytes">The blocks the file takes on its disk, in bytes (a sparse file's holes count nothing).</param>
public readonly partial record struct FileStatus(uint Mode, uint Uid, uint Gid, uint Links, ulong Inode, ulong Device, long Size, long AllocatedBytes)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint BasicStats = 0x7ff; // STATX_BASIC_STATS
    private const int Size256 = 256;

    /// <summary>The <c>S_IFMT</c> bits of <see cref="Mode"/>.</summary>
    public int Type => (int)(Mode & 0xF000);

    public bool IsRegular => Type == 0x8000;

    public bool IsDirectory => Type == 0x4000;

    public bool IsSymbolicLink => Type == 0xA000;

    /// <summary>The status of <paramref name="path"/>; with <paramref name="followLinks"/> false, of a last link itself. False (and the errno) when it cannot be read.</summary>
    public static bool TryOf(string path, bool followLinks, out FileStatus status, out int errno)
    {
        ArgumentNullException.ThrowIfNull(path);
        Span<byte> buffer = stackalloc byte[Size256];
        return Read(Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, BasicStats, buffer), buffer, out status, out errno);
    }

    /// <summary>The status of <paramref name="path"/> (see the other overload), or false when it cannot be read.</summary>
    public static bool TryOf(string path, bool followLinks, out FileStatus status) => TryOf(path, followLinks, out status, out _);

    /// <summary>The status of the file open as <paramref name="descriptor"/>; false (and the errno) when it cannot be read.</summary>
    public static bool TryOf(int descriptor, out FileStatus status, out int errno)
    {
        Span<byte> buffer = stackalloc byte[Size256];
        return Read(Statx(descriptor, string.Empty, AtEmptyPath, BasicStats, buffer), buffer, out status, out errno);
    }

    /// <summary>The status of the file open as <paramref name="handle"/>.</summary>
    /// <exception cref="IOException">The kernel refused (with its reason).</exception>
    public static FileStatus Of(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return TryOf((int)handle.DangerousGetHandle(), out var status, out var errno)
            ? status
            : throw new IOException(Marshal.GetPInvokeErrorMessage(errno), errno);
    }

    private static bool Read(int result, ReadOnlySpan<byte> buffer, out FileStatus status, out int errno)
    {
        if (result != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            status = default;
            return false;
        }

        errno = 0;
        status = new FileStatus(
            Mode: BitConverter.ToUInt16(buffer[28..]),
            Uid: BitConverter.ToUInt32(buffer[20..]),
            Gid: BitConverter.ToUInt32(buffer[24..]),
            Links: BitConverter.ToUInt32(buffer[16..]),
            Inode: BitConverter.ToUInt64(buffer[32..]),
            Device: ((ulong)BitConverter.ToUInt32(buffer[136..]) << 32) | BitConverter.ToUInt32(buffer[140..]),
            Size: (long)BitConverter.ToUInt64(buffer[40..]),
            AllocatedBytes: (long)BitConverter.ToUInt64(buffer[48..]) * 512);
        return true;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directory, string path, int flags, uint mask, Span<byte> buffer);
}
