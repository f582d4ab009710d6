namespace GradientNode.Daemon.Security;

/// <summary>
/// The account database as the C library sees it (<see cref="NssUserDatabase"/>: files, LDAP, SSSD, … as
/// <c>/etc/nsswitch.conf</c> says); the seam unit tests replace with fixed accounts.
/// </summary>
internal interface IUserDatabase
{
    /// <summary>The id of group <paramref name="name"/>; null when there is no such group.</summary>
    uint? GroupId(string name);

    /// <summary>The user's name and primary group; null when no account has <paramref name="uid"/>.</summary>
    (string Name, uint PrimaryGid)? User(uint uid);

    /// <summary>Every group user <paramref name="name"/> belongs to, <paramref name="primaryGid"/> included (<c>getgrouplist</c>).</summary>
    IReadOnlyList<uint> GroupsOf(string name, uint primaryGid);

    /// <summary>Group <paramref name="gid"/>'s name and the members it lists by name (not those whose primary group it is); null when there is no such group.</summary>
    (string Name, IReadOnlyList<string> Members)? Group(uint gid);
}
