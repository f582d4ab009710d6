namespace GradientNode.Daemon.Security;

/// <summary>
/// Who may use the API socket: root, the daemon's own user, and members of the socket group (default
/// <c>gradient</c>). Checked per connection from the peer's credentials, so a loosened file mode opens nothing.
/// </summary>
internal sealed class SocketAccessPolicy(UnixAccounts accounts, uint ownUid, string groupName)
{
    private volatile string _groupName = groupName;

    /// <summary>The group whose members may connect; changeable live (SIGHUP re-reads node.yaml).</summary>
    public string GroupName
    {
        get => _groupName;
        set => _groupName = value;
    }

    /// <summary>Null when <paramref name="peer"/> may connect, else why not (for the log line and the 403 body).</summary>
    public string? Refusal(PeerCredentials? peer)
    {
        if (peer is not { } p)
        {
            return "the caller's credentials cannot be read";
        }

        if (p.Uid == 0 || p.Uid == ownUid)
        {
            return null;
        }

        var group = GroupName;
        if (accounts.GroupId(group) is { } gid && (p.Gid == gid || accounts.ProcessHasGroup(p.Pid, gid) || accounts.UserIsMember(p.Uid, gid)))
        {
            return null;
        }

        return $"uid {p.Uid} is neither root nor a member of group '{group}'";
    }

    /// <summary>
    /// Null when user <paramref name="uid"/> may use the API (root, the daemon's user, a member of the group in
    /// /etc/group or by its primary group), else why not: for a caller known only by its uid (the web console's peer).
    /// </summary>
    public string? Refusal(uint uid)
    {
        if (uid == 0 || uid == ownUid)
        {
            return null;
        }

        var group = GroupName;
        return accounts.GroupId(group) is { } gid && accounts.UserIsMember(uid, gid)
            ? null
            : $"uid {uid} is neither root nor a member of group '{group}'";
    }
}
