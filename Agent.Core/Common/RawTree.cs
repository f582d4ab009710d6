using System.Runtime.InteropServices;
using System.Text;

namespace GradientNode.Core.Common;

/// <summary>
/// Removes a folder tree, falling back to the bytes of its names as the kernel has them. .NET reads a name that is not
/// UTF-8 with U+FFFD in place of the bad bytes and then cannot name that file again, so <see cref="Directory.Delete(string, bool)"/>
/// fails on its folder ("Directory not empty"); a workflow job can leave such a name in a dataset output's staging
/// folder, which then stayed for good and failed every <c>datasets gc</c> pass.
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

    /// <summary>Deletes <paramref name="folder"/> and everything under it (links are removed, never followed).</summary>
    public static void Delete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException) when (OperatingSystem.IsLinux() && Environment.Is64BitProcess && Directory.Exists(folder))
        {
            DeleteFolder(Encoding.UTF8.GetBytes(folder));
        }
    }

    private static void DeleteFolder(byte[] path)
    {
        foreach (var (name, type) in List(path))
        {
            byte[] child = [.. path, (byte)'/', .. name];
            if (type == DirectoryType)
            {
                DeleteFolder(child);
            }
            else if (Call(child, folder: false) is var errno && errno == EISDIR && type == UnknownType)
            {
                DeleteFolder(child);
            }
            else if (errno is not (0 or ENOENT))
            {
                throw Error("unlink", child, errno);
            }
        }

        if (Call(path, folder: true) is var error && error is not (0 or ENOENT))
        {
            throw Error("rmdir", path, error);
        }
    }

    /// <summary>The folder's entries (without <c>.</c> and <c>..</c>), read in full before any is removed.</summary>
    private static List<(byte[] Name, byte Type)> List(byte[] path)
    {
        var entries = new List<(byte[], byte)>();
        nint dir;
        fixed (byte* p = Terminated(path))
        {
            dir = OpenDirectory(p);
        }

        if (dir == 0)
        {
            throw Error("opendir", path, Marshal.GetLastPInvokeError());
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

    /// <summary><c>rmdir</c> (a folder) or <c>unlink</c> of <paramref name="path"/>; 0 or the errno.</summary>
    private static int Call(byte[] path, bool folder)
    {
        fixed (byte* p = Terminated(path))
        {
            return (folder ? RemoveDirectoryNative(p) : UnlinkNative(p)) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    private static byte[] Terminated(byte[] path) => [.. path, 0];

    private static IOException Error(string call, byte[] path, int errno) =>
        new($"{call} of {Encoding.UTF8.GetString(path)} failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);

    [LibraryImport("libc", EntryPoint = "opendir", SetLastError = true)]
    private static partial nint OpenDirectory(byte* path);

    [LibraryImport("libc", EntryPoint = "readdir")]
    private static partial nint ReadDirectory(nint dir);

    [LibraryImport("libc", EntryPoint = "closedir")]
    private static partial int CloseDirectory(nint dir);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true)]
    private static partial int UnlinkNative(byte* path);

    [LibraryImport("libc", EntryPoint = "rmdir", SetLastError = true)]
    private static partial int RemoveDirectoryNative(byte* path);
}
