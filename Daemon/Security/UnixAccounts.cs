using System.Globalization;

namespace GradientNode.Daemon.Security;

/// <summary>
/// Group membership from the local account files (<c>/etc/passwd</c>, <c>/etc/group</c>) and from the peer
/// process itself (<c>/proc/PID/status</c>). Paths are injectable for tests. Read on every call: the files are
/// small and a user added to the group gets in without a daemon restart.
/// </summary>
internal sealed class UnixAccounts(string passwdFile = "/etc/passwd", string groupFile = "/etc/group", string procDir = "/proc")
{
    /// <summary>The id of group <paramref name="name"/>; null when there is no such group.</summary>
    public uint? GroupId(string name) =>
        Lines(groupFile).Select(l => l.Split(':')).Where(f => f.Length >= 3 && f[0] == name).Select(f => ParseId(f[2])).FirstOrDefault(id => id is not null);

    /// <summary>The user's name and primary group, from the passwd file; null when unknown.</summary>
    public (string Name, uint PrimaryGid)? User(uint uid)
    {
        foreach (var fields in Lines(passwdFile).Select(l => l.Split(':')).Where(f => f.Length >= 4))
        {
            if (ParseId(fields[2]) == uid && ParseId(fields[3]) is { } gid)
            {
                return (fields[0], gid);
            }
        }

        return null;
    }

    /// <summary>True when user <paramref name="uid"/> belongs to group <paramref name="gid"/> (primary or supplementary).</summary>
    public bool UserIsMember(uint uid, uint gid)
    {
        if (User(uid) is not { } user)
        {
            return false;
        }

        return user.PrimaryGid == gid || Lines(groupFile)
            .Select(l => l.Split(':'))
            .Any(f => f.Length >= 4 && ParseId(f[2]) == gid && f[3].Split(',', StringSplitOptions.TrimEntries).Contains(user.Name, StringComparer.Ordinal));
    }

    /// <summary>True when process <paramref name="pid"/> carries group <paramref name="gid"/> among its supplementary groups.</summary>
    public bool ProcessHasGroup(int pid, uint gid)
    {
        if (pid <= 0)
        {
            return false;
        }

        var groups = Lines(Path.Combine(procDir, pid.ToString(CultureInfo.InvariantCulture), "status")).FirstOrDefault(l => l.StartsWith("Groups:", StringComparison.Ordinal));
        return groups is not null && groups["Groups:".Length..].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Any(g => ParseId(g) == gid);
    }

    private static uint? ParseId(string text) => uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static IEnumerable<string> Lines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
