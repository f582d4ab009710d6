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
}
