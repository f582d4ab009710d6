using System.Runtime.InteropServices;

namespace GradientNode.Core.Common;

/// <summary>
/// The libc calls .NET has no API for: <c>fsync</c> of a directory, so that a rename in it survives a power loss
/// (<see cref="File.OpenHandle(string, FileMode, FileAccess, FileShare, FileOptions, long)"/> refuses directories), and
/// <c>link</c> (a hard link: the dataset store shares identical files between versions).
/// </summary>
internal static partial class PosixFile
{
    /// <summary>O_RDONLY | O_CLOEXEC (the same value on x86-64 and arm64); a plain read-only open works on a directory.</summary>
    private const int OpenReadOnlyCloseOnExec = 0x80000;
    private const int EINTR = 4;
    private const int EEXIST = 17;
    private const int EMLINK = 31;
    private const int EINVAL = 22;
    private const int EROFS = 30;
    private const int ENOTSUP = 95;

    /// <summary>
    /// Flushes <paramref name="directory"/>'s entries to disk. A file system that cannot sync a directory (EINVAL,
    /// ENOTSUP, EROFS) counts as done; any other failure is an <see cref="IOException"/> with the errno in its HResult.
    /// Does nothing on Windows, where a rename is made durable by the file system.
    /// </summary>
    public static void FlushDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int fd;
        do
        {
            fd = Open(directory, OpenReadOnlyCloseOnExec);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);

        if (fd < 0)
        {
            throw Error("open", directory, Marshal.GetLastPInvokeError());
        }

        try
        {
            if (FSync(fd) != 0 && Marshal.GetLastPInvokeError() is var errno && errno is not (EINVAL or ENOTSUP or EROFS))
            {
                throw Error("fsync", directory, errno);
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Makes <paramref name="link"/> a hard link to <paramref name="existing"/>; false when <paramref name="link"/> exists.</summary>
    public static bool TryHardLink(string existing, string link) => HardLink(existing, link) switch
    {
        HardLinkOutcome.Linked => true,
        HardLinkOutcome.Exists => false,
        _ => throw new IOException($"link {existing} -> {link} failed: {Marshal.GetPInvokeErrorMessage(EMLINK)}", EMLINK),
    };

    /// <summary>
    /// Makes <paramref name="link"/> a hard link to <paramref name="existing"/>, or says why not when <paramref name="link"/>
    /// exists or <paramref name="existing"/> has as many names as its file system allows; any other failure is an
    /// <see cref="IOException"/> with the errno in its HResult.
    /// </summary>
    public static HardLinkOutcome HardLink(string existing, string link)
    {
        int result;
        do
        {
            result = Link(existing, link);
        }
        while (result != 0 && Marshal.GetLastPInvokeError() == EINTR);

        if (result == 0)
        {
            return HardLinkOutcome.Linked;
        }

        return Marshal.GetLastPInvokeError() switch
        {
            EEXIST => HardLinkOutcome.Exists,
            EMLINK => HardLinkOutcome.TooManyLinks,
            var errno => throw new IOException($"link {existing} -> {link} failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno),
        };
    }

    private static IOException Error(string call, string directory, int errno) =>
        new($"{call} of directory {directory} failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string link);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
