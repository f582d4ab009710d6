using System.Runtime.InteropServices;
using System.Text;

namespace GradientNode.Core.Datasets;

/// <summary>
/// A file entering the object pool becomes the store's own: owned by the daemon's user (root, when it runs as root)
/// and with no extended attribute left (<c>security.capability</c>, <c>user.*</c>, <c>trusted.*</c>, an ACL), links not
/// followed. Before, a committed file kept the uid of the job that wrote it (and every later version sharing its object
/// that first committer's uid) and whatever attributes the job set: harmless while the mode is 0444 and the dataset is
/// mounted read-only, but a later job running as that uid owned the file it read.
/// </summary>
internal static partial class StoreFile
{
    private const int NoData = 61; // ENODATA: the attribute went meanwhile
    private const int NotSupported = 95; // EOPNOTSUPP: the file system has no xattrs
    private const int Range = 34; // ERANGE: the list grew between the two calls

    /// <summary>Makes <paramref name="path"/> (a regular file, not followed if a link) the store's; see the type.</summary>
    public static void Claim(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        if (GetEuid() == 0 && LChown(path, 0, 0) != 0)
        {
            throw Failure("give the store", path);
        }

        foreach (var name in Attributes(path))
        {
            if (Kept(name))
            {
                continue;
            }

            if (LRemoveXattr(path, name) != 0 && Marshal.GetLastPInvokeError() != NoData)
            {
                throw Failure($"remove the extended attribute {name} of", path);
            }
        }
    }

    /// <summary>
    /// An attribute the store leaves: the file's SELinux label, which the kernel lets no one remove (EACCES; the policy,
    /// not the job, gives it the store's folder's type on an SELinux host), so removing it would fail every commit there.
    /// </summary>
    internal static bool Kept(string name) => string.Equals(name, "security.selinux", StringComparison.Ordinal);

    private static List<string> Attributes(string path)
    {
        while (true)
        {
            var size = LListXattr(path, null, 0);
            if (size <= 0)
            {
                return size == 0 || Marshal.GetLastPInvokeError() == NotSupported ? [] : throw Failure("list the extended attributes of", path);
            }

            var buffer = new byte[size];
            var read = LListXattr(path, buffer, size);
            if (read < 0 && Marshal.GetLastPInvokeError() == Range)
            {
                continue;
            }

            return read < 0
                ? throw Failure("list the extended attributes of", path)
                : [.. Encoding.UTF8.GetString(buffer, 0, (int)read).Split('\0', StringSplitOptions.RemoveEmptyEntries)];
        }
    }

    private static IOException Failure(string what, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"cannot {what} {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LChown(string path, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "llistxattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint LListXattr(string path, byte[]? list, nint size);

    [LibraryImport("libc", EntryPoint = "lremovexattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LRemoveXattr(string path, string name);
}
