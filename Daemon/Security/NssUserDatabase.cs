using System.Runtime.InteropServices;

namespace GradientNode.Daemon.Security;

/// <summary>
/// Accounts through the C library's name service switch (<c>getpwuid_r</c>, <c>getgrnam_r</c>, <c>getgrouplist</c>),
/// so a user or group known only through LDAP or SSSD counts as the kernel and <c>id</c> count it: the API socket's
/// group, its members and the web console's callers are looked up the same way as by every other tool on the host.
/// Nothing is cached: a user added to the group gets in without a daemon restart (NSS modules may cache themselves).
/// </summary>
internal sealed unsafe class NssUserDatabase : IUserDatabase
{
    /// <summary>glibc's usual start (<c>sysconf(_SC_GETPW_R_SIZE_MAX)</c>); doubled on <c>ERANGE</c> up to <see cref="MaxBuffer"/>.</summary>
    private const int FirstBuffer = 16 * 1024;

    /// <summary>A group with tens of thousands of members listed needs a few MiB; more is refused rather than grown without end.</summary>
    private const int MaxBuffer = 64 * 1024 * 1024;

    private const int ErangeErrno = 34;

    public uint? GroupId(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Lookup((Libc.GroupEntry* entry, byte* buffer, nuint length, void** result) => Libc.GetGroupByName(name, entry, buffer, length, result), (Libc.GroupEntry* entry) => entry->Gid);
    }

    /// <summary>The name of group <paramref name="gid"/>; null when no group has it.</summary>
    public string? GroupName(uint gid)
    {
        var found = Lookup(
            (Libc.GroupEntry* entry, byte* buffer, nuint length, void** result) => Libc.GetGroupByGid(gid, entry, buffer, length, result),
            (Libc.GroupEntry* entry) => (Name: Marshal.PtrToStringUTF8(entry->Name) ?? string.Empty, Gid: entry->Gid));
        return found is { Name.Length: > 0 } group ? group.Name : null;
    }

    public (string Name, IReadOnlyList<string> Members)? Group(uint gid)
    {
        var found = Lookup(
            (Libc.GroupEntry* entry, byte* buffer, nuint length, void** result) => Libc.GetGroupByGid(gid, entry, buffer, length, result),
            (Libc.GroupEntry* entry) => (Name: Marshal.PtrToStringUTF8(entry->Name) ?? string.Empty, Members: (IReadOnlyList<string>)ReadMembers(entry->Members)));
        return found is { Name.Length: > 0 } group ? group : null;
    }

    /// <summary>The names of a <c>gr_mem</c> list (a null-ended array of strings).</summary>
    private static List<string> ReadMembers(nint members)
    {
        var names = new List<string>();
        for (var at = (nint*)members; at is not null && *at != 0; at++)
        {
            names.Add(Marshal.PtrToStringUTF8(*at) ?? string.Empty);
        }

        return names;
    }

    /// <summary>The owner and group of <paramref name="path"/> (not following a last symbolic link); null when it cannot be read.</summary>
    public static (uint Uid, uint Gid)? Owner(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return GradientNode.Core.Common.FileStatus.TryOf(path, followLinks: false, out var status) ? (status.Uid, status.Gid) : null;
    }

    public (string Name, uint PrimaryGid)? User(uint uid)
    {
        var found = Lookup(
            (Libc.PasswdEntry* entry, byte* buffer, nuint length, void** result) => Libc.GetPasswdByUid(uid, entry, buffer, length, result),
            (Libc.PasswdEntry* entry) => (Marshal.PtrToStringUTF8(entry->Name) ?? string.Empty, entry->Gid));
        return found is { } user && user.Item1.Length > 0 ? user : null;
    }

    public IReadOnlyList<uint> GroupsOf(string name, uint primaryGid)
    {
        ArgumentNullException.ThrowIfNull(name);
        var count = 64;
        while (true)
        {
            var groups = new uint[count];
            var asked = count;
            int answer;
            fixed (uint* first = groups)
            {
                answer = Libc.GetGroupList(name, primaryGid, first, &asked);
            }

            if (answer >= 0)
            {
                return groups[..asked];
            }

            // -1: too small; glibc put the number needed in asked (a module may not: grow anyway).
            if (count >= 1 << 16)
            {
                return [primaryGid];
            }

            count = Math.Max(asked, count * 2);
        }
    }

    private delegate int Call<TEntry>(TEntry* entry, byte* buffer, nuint length, void** result)
        where TEntry : unmanaged;

    private delegate T Read<TEntry, out T>(TEntry* entry)
        where TEntry : unmanaged;

    /// <summary>Calls a <c>get*_r</c> function with a buffer that grows on <c>ERANGE</c>; null when there is no such entry or the lookup failed.</summary>
    private static T? Lookup<TEntry, T>(Call<TEntry> call, Read<TEntry, T> read)
        where TEntry : unmanaged
        where T : struct
    {
        for (var length = FirstBuffer; length <= MaxBuffer; length *= 2)
        {
            var buffer = (byte*)NativeMemory.Alloc((nuint)length);
            try
            {
                TEntry entry;
                void* result = null;
                var error = call(&entry, buffer, (nuint)length, &result);
                if (error == ErangeErrno)
                {
                    continue;
                }

                // Read while the buffer the entry's strings point into is still ours.
                return error == 0 && result is not null ? read(&entry) : null;
            }
            finally
            {
                NativeMemory.Free(buffer);
            }
        }

        return null;
    }
}
