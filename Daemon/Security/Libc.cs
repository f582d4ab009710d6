using System.Runtime.InteropServices;

namespace GradientNode.Daemon.Security;

/// <summary>The few libc calls .NET has no managed API for.</summary>
internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Chown(string path, int owner, int group);

    /// <summary>The address a socket is bound to, as a <c>sockaddr</c> in <paramref name="address"/> (its size in <paramref name="length"/>).</summary>
    [LibraryImport("libc", EntryPoint = "getsockname", SetLastError = true)]
    public static partial int GetSockName(int descriptor, Span<byte> address, ref int length);

    /// <summary><c>fcntl(fd, F_SETFD, flags)</c>: <see cref="CloseOnExec"/> keeps a descriptor out of the processes the node starts.</summary>
    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int SetDescriptorFlags(int descriptor, int command, int flags);

    public const int SetDescriptorFlagsCommand = 2; // F_SETFD

    public const int CloseOnExec = 1; // FD_CLOEXEC

    /// <summary>Returns free memory at the top of glibc's heaps and in its arenas to the system (glibc only).</summary>
    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    public static partial int MallocTrim(nuint pad);

    /// <summary><c>getpwuid_r</c>: 0 with <paramref name="result"/> set, 0 with it null (no such user), else an errno (<c>ERANGE</c>: a larger buffer).</summary>
    [LibraryImport("libc", EntryPoint = "getpwuid_r")]
    public static unsafe partial int GetPasswdByUid(uint uid, PasswdEntry* entry, byte* buffer, nuint length, void** result);

    /// <summary><c>getgrnam_r</c>, as <see cref="GetPasswdByUid"/>.</summary>
    [LibraryImport("libc", EntryPoint = "getgrnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int GetGroupByName(string name, GroupEntry* entry, byte* buffer, nuint length, void** result);

    /// <summary><c>getgrgid_r</c>, as <see cref="GetPasswdByUid"/>.</summary>
    [LibraryImport("libc", EntryPoint = "getgrgid_r")]
    public static unsafe partial int GetGroupByGid(uint gid, GroupEntry* entry, byte* buffer, nuint length, void** result);

    /// <summary><c>getgrouplist</c>: the groups of <paramref name="user"/> (with <paramref name="group"/>); -1 when <paramref name="count"/> was too small, which it then holds the need of.</summary>
    [LibraryImport("libc", EntryPoint = "getgrouplist", StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int GetGroupList(string user, uint group, uint* groups, int* count);

    /// <summary><c>struct passwd</c> (LP64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PasswdEntry
    {
        public nint Name;
        public nint Password;
        public uint Uid;
        public uint Gid;
        public nint Gecos;
        public nint Home;
        public nint Shell;
    }

    /// <summary><c>struct group</c> (LP64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct GroupEntry
    {
        public nint Name;
        public nint Password;
        public uint Gid;
        public nint Members;
    }
}
