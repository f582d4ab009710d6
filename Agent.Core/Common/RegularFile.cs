using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace GradientNode.Core.Common;

/// <summary>
/// Opens a file for reading only when it is a regular file, deciding on the opened descriptor and not on the path. A
/// check of the path (<see cref="FileKind"/>) and then an open leaves a window in which the file can be swapped for a
/// fifo, whose open for reading waits for a writer. Here the open itself cannot wait (<c>O_NONBLOCK</c>: a fifo opens
/// at once without a writer; <c>O_NOCTTY</c>: a terminal does not become the process's), and <c>statx</c> on the
/// descriptor (<c>AT_EMPTY_PATH</c>) says what was opened, so what is read is what was checked. Linux only; elsewhere a
/// plain open after the path check.
/// </summary>
public static partial class RegularFile
{
    /// <summary>O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC (the same values on x86-64 and arm64).</summary>
    private const int OpenFlags = 0x0 | 0x100 | 0x800 | 0x80000;
    private const int EINTR = 4;
    private const int EPERM = 1;
    private const int ENOENT = 2;
    private const int EACCES = 13;
    private const int ENOTDIR = 20;

    /// <summary>
    /// A read handle on <paramref name="path"/> (links followed), or null when what it names is not a regular file (a
    /// fifo, device, socket or folder; nothing was read from it and the handle is closed). Never waits for a writer.
    /// </summary>
    /// <exception cref="IOException">The open or the stat failed, with the system's message: <see cref="FileNotFoundException"/>
    /// when nothing is there, <see cref="DirectoryNotFoundException"/> when a folder on the way is not one.</exception>
    /// <exception cref="UnauthorizedAccessException">The open was refused (permissions).</exception>
    public static SafeFileHandle? TryOpenForRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!OperatingSystem.IsLinux())
        {
            return FileKind.Of(path) is System.Formats.Tar.TarEntryType.RegularFile or System.Formats.Tar.TarEntryType.V7RegularFile
                ? File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete)
                : null;
        }

        int fd;
        do
        {
            fd = Open(path, OpenFlags);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);

        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            var message = Marshal.GetPInvokeErrorMessage(errno);
            throw errno switch
            {
                ENOENT => new FileNotFoundException(message, path),
                ENOTDIR => new DirectoryNotFoundException(message),
                EACCES or EPERM => new UnauthorizedAccessException(message),
                _ => new IOException(message),
            };
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (!FileStatus.TryOf(fd, out var status, out var errno))
            {
                throw new IOException(Marshal.GetPInvokeErrorMessage(errno));
            }

            if (!status.IsRegular)
            {
                handle.Dispose();
                return null;
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads from the start of <paramref name="handle"/> until <paramref name="buffer"/> is full or the file ends; the bytes read.</summary>
    public static int ReadAtMost(SafeFileHandle handle, Span<byte> buffer)
    {
        var length = 0;
        int read;
        while (length < buffer.Length && (read = RandomAccess.Read(handle, buffer[length..], length)) > 0)
        {
            length += read;
        }

        return length;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

}
