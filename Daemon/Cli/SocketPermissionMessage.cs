using GradientNode.Daemon.Security;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// What the client says when it may not open the API socket (EACCES). The socket file's own group tells which case it is:
/// a group of its own (the node's socket group: join it), or still its owner's primary group, which means the node's
/// socket group did not exist when the daemon made the socket. Before, both cases said "add yourself with 'sudo usermod
/// -aG gradient $USER'", which on a node without that group fails (<c>group 'gradient' does not exist</c>) and, once the
/// group is created, still let nobody in until the daemon set the socket's group again (now at a reload).
/// </summary>
internal static class SocketPermissionMessage
{
    /// <summary>The node's default socket group (<c>--socket-group</c>).</summary>
    private const string DefaultGroup = "gradient";

    /// <summary>The socket file as the caller can see it: its group's name (null: no name) and whether that group is its owner's primary group.</summary>
    internal sealed record SocketGroup(uint Gid, string? Name, bool IsOwnersPrimaryGroup);

    /// <summary>Reads <paramref name="socketPath"/>'s owner and group through the C library; null when the file cannot be read.</summary>
    public static SocketGroup? Inspect(string socketPath)
    {
        try
        {
            if (NssUserDatabase.Owner(socketPath) is not { } owner)
            {
                return null;
            }

            var accounts = new NssUserDatabase();
            var primary = accounts.User(owner.Uid)?.PrimaryGid;
            return new SocketGroup(owner.Gid, accounts.GroupName(owner.Gid), primary == owner.Gid);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The message for <paramref name="socketPath"/>, worded after <paramref name="group"/> (null: not known).</summary>
    public static string For(string socketPath, SocketGroup? group, bool defaultGroupExists)
    {
        var head = $"cannot use gradient-node at {socketPath}: permission denied.";
        if (group is { IsOwnersPrimaryGroup: true })
        {
            var create = defaultGroupExists
                ? $"the group '{DefaultGroup}' exists now, so reload the daemon for it to take it (sudo systemctl reload gradient-node, or kill -HUP its pid)"
                : $"create it (sudo groupadd {DefaultGroup}) and reload the daemon (sudo systemctl reload gradient-node, or kill -HUP its pid)";
            return $"{head} The socket has no socket group (its group is its owner's own, '{group.Name ?? group.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture)}'): "
                + $"the node's socket group ({DefaultGroup}, unless the node sets --socket-group or socketGroup) did not exist when the daemon made the socket, "
                + "so only root and the daemon's own user may use it. "
                + $"To let others in, {create}, then add yourself with 'sudo usermod -aG {DefaultGroup} $USER' and log in again; or run the command as root (sudo).";
        }

        if (group is { Name: { } name })
        {
            return $"{head} Only root, the daemon's own user and members of the socket's group '{name}' may: "
                + $"add yourself with 'sudo usermod -aG {name} $USER' and log in again (already added: a new login, or 'newgrp {name}', picks it up), "
                + "or run the command as root (sudo).";
        }

        return $"{head} Only root, the daemon's own user and members of its socket group "
            + $"({DefaultGroup}, unless the node sets --socket-group or socketGroup) may: add yourself with 'sudo usermod -aG {DefaultGroup} $USER' "
            + "and log in again, or run the command as root (sudo).";
    }
}
