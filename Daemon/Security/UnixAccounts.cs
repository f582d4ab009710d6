using System.Globalization;

namespace GradientNode.Daemon.Security;

/// <summary>
/// Group membership from the account database (<see cref="IUserDatabase"/>: the C library's name service switch, so
/// LDAP and SSSD accounts count as local ones) and from the peer process itself (<c>/proc/PID/status</c>). Asked on
/// every call: a user added to the group gets in without a daemon restart.
/// </summary>
internal sealed class UnixAccounts(IUserDatabase users, string procDir = "/proc")
{
    public UnixAccounts()
        : this(new NssUserDatabase())
    {
    }

    /// <summary>The id of group <paramref name="name"/>; null when there is no such group.</summary>
    public uint? GroupId(string name) => users.GroupId(name);

    /// <summary>The account name of <paramref name="uid"/>; null when no account has it.</summary>
    public string? UserName(uint uid) => users.User(uid)?.Name;

    /// <summary>True when user <paramref name="uid"/> belongs to group <paramref name="gid"/> (primary or supplementary, as <c>id</c> says).</summary>
    public bool UserIsMember(uint uid, uint gid) =>
        users.User(uid) is { } user && (user.PrimaryGid == gid || users.GroupsOf(user.Name, user.PrimaryGid).Contains(gid));

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
