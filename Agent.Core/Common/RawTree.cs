using System.Runtime.InteropServices;
using System.Text;

namespace GradientNode.Core.Common;

/// <summary>
/// Removes a folder tree, falling back to the kernel's own calls on the bytes of its names. .NET reads a name that is not
/// UTF-8 with U+FFFD in place of the bad bytes and then cannot name that file again, so <see cref="Directory.Delete(string, bool)"/>
/// fails on its folder ("Directory not empty"); and it names every file by its full path, so a tree deeper than
/// <c>PATH_MAX</c> (4096 bytes, a job's <c>mkdir d &amp;&amp; cd d</c> in a loop) fails with an <see cref="ArgumentException"/>.
/// A workflow job can leave either in a dataset output's staging folder, which then stayed for good and failed every
/// <c>datasets gc</c> pass. The fallback walks the tree by descriptors (<c>openat</c>, <c>unlinkat</c>, one folder open at
/// a time, no recursion), so neither the depth nor the length of a path matters, and a link is removed, never followed.
/// </summary>
internal static unsafe partial class RawTree
{
    /// <summary>Where <c>d_name</c> starts in <c>struct dirent</c> on 64-bit Linux (glibc and musl): d_ino 8, d_off 8, d_reclen 2, d_type 1.</summary>
    private const int NameOffset = 19;
    private const int TypeOffset = 18;
    private const byte DirectoryType = 4; // DT_DIR
    private const byte UnknownType = 0; // DT_UNKNOWN: the file system did not say
    private const int EISDIR = 21;
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;
    private const int ELOOP = 40;
    private const int AtFdCwd = -100;
    private const int AtRemoveDir = 0x200;

    /// <summary><c>O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC</c>; arm64 numbers the first two flags apart from x64.</summary>
    private static readonly int OpenFolderFlags = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm
        ? 0x4000 | 0x8000 | 0x80000
        : 0x10000 | 0x20000 | 0x80000;

    /// <summary>Deletes <paramref name="folder"/> and everything under it (links are removed, never followed).</summary>
    public static void Delete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException && OperatingSystem.IsLinux() && Environment.Is64BitProcess && Directory.Exists(folder))
        {
            DeleteTree(Encoding.UTF8.GetBytes(folder));
        }
    }

    /// <summary>
    /// Depth first with one open folder: the names of the folders still to visit are kept per level, and the walk goes
    /// back up through <c>..</c> of the folder it holds (inside the tree, so never above <paramref name="root"/>).
    /// </summary>
    private static void DeleteTree(byte[] root)
    {
        var fd = Open(AtFdCwd, root, root);
        var levels = new Stack<(byte[] Name, Queue<byte[]> Folders)>();
        try
        {
            levels.Push(([], RemoveFiles(fd, root)));
            while (levels.TryPeek(out var level))
            {
                if (level.Folders.TryDequeue(out var name))
                {
                    var child = OpenAt(fd, name, OpenFolderFlags);
                    if (child < 0)
                    {
                        var errno = Marshal.GetLastPInvokeError();
                        if (errno is ENOTDIR or ELOOP)
                        {
                            Check(UnlinkAt(fd, name, 0), "unlink", root, name); // swapped for a file or a link meanwhile
                        }
                        else if (errno != ENOENT)
                        {
                            throw Error("open", root, name, errno);
                        }

                        continue;
                    }

                    Close(fd);
                    fd = child;
                    levels.Push((name, RemoveFiles(fd, root)));
                    continue;
                }

                levels.Pop();
                if (levels.Count == 0)
                {
                    break;
                }

                var parent = Open(fd, ".."u8.ToArray(), root);
                Close(fd);
                fd = parent;
                Check(UnlinkAt(fd, level.Name, AtRemoveDir), "rmdir", root, level.Name);
            }
        }
        finally
        {
            Close(fd);
        }

        Check(UnlinkAt(AtFdCwd, root, AtRemoveDir), "rmdir", root, []);
    }

    /// <summary>Removes every entry of the open folder that is not a folder; returns the names of its folders.</summary>
    private static Queue<byte[]> RemoveFiles(int fd, byte[] root)
    {
        var folders = new Queue<byte[]>();
        foreach (var (name, type) in List(fd, root))
        {
            if (type == DirectoryType)
            {
                folders.Enqueue(name);
            }
            else if (UnlinkAt(fd, name, 0) == 0)
            {
                continue;
            }
            else if (Marshal.GetLastPInvokeError() is var errno && errno == EISDIR && type == UnknownType)
            {
                folders.Enqueue(name);
            }
            else if (errno != ENOENT)
            {
                throw Error("unlink", root, name, errno);
            }
        }

        return folders;
    }

    /// <summary>The open folder's entries (without <c>.</c> and <c>..</c>), read in full before any is removed.</summary>
    private static List<(byte[] Name, byte Type)> List(int fd, byte[] root)
    {
        var entries = new List<(byte[], byte)>();
        var own = Dup(fd); // closedir closes the descriptor it was given
        var dir = own < 0 ? 0 : OpenDirectoryOf(own);
        if (dir == 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (own >= 0)
            {
                Close(own);
            }

            throw Error("opendir", root, [], errno);
        }

        try
        {
            for (var entry = ReadDirectory(dir); entry != 0; entry = ReadDirectory(dir))
            {
                var name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)(entry + NameOffset));
                if (!name.SequenceEqual("."u8) && !name.SequenceEqual(".."u8))
                {
                    entries.Add((name.ToArray(), *(byte*)(entry + TypeOffset)));
                }
            }
        }
        finally
        {
            _ = CloseDirectory(dir);
        }

        return entries;
    }

    private static int Open(int at, byte[] name, byte[] root) =>
        OpenAt(at, name, OpenFolderFlags) is var fd && fd >= 0 ? fd : throw Error("open", root, name, Marshal.GetLastPInvokeError());

    private static int OpenAt(int at, byte[] name, int flags)
    {
        fixed (byte* p = Terminated(name))
        {
            return OpenAtNative(at, p, flags);
        }
    }

    private static int UnlinkAt(int at, byte[] name, int flags)
    {
        fixed (byte* p = Terminated(name))
        {
            return UnlinkAtNative(at, p, flags);
        }
    }

    private static void Check(int result, string call, byte[] root, byte[] name)
    {
        if (result != 0 && Marshal.GetLastPInvokeError() is var errno && errno != ENOENT)
        {
            throw Error(call, root, name, errno);
        }
    }

    private static void Close(int fd) => _ = CloseNative(fd);

    private static byte[] Terminated(byte[] path) => [.. path, 0];

    /// <summary>Names the tree and the entry (the full path of a deep one may be longer than any message should be).</summary>
    private static IOException Error(string call, byte[] root, byte[] name, int errno) =>
        new($"{call} of '{Encoding.UTF8.GetString(name)}' under {Encoding.UTF8.GetString(root)} failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    private static partial int OpenAtNative(int dirfd, byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true)]
    private static partial int UnlinkAtNative(int dirfd, byte* path, int flags);

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseNative(int fd);

    [LibraryImport("libc", EntryPoint = "fdopendir", SetLastError = true)]
    private static partial nint OpenDirectoryOf(int fd);

    [LibraryImport("libc", EntryPoint = "readdir")]
    private static partial nint ReadDirectory(nint dir);

    [LibraryImport("libc", EntryPoint = "closedir")]
    private static partial int CloseDirectory(nint dir);
}
