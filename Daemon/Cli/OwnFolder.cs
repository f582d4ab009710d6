using GradientNode.Core.Common;
using GradientNode.Daemon.Security;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// A folder a client verb writes files into by name (<c>datasets download NAME DIR</c>, <c>export -o DIR</c>, <c>fetch
/// s3://… DIR</c>). The verb runs as its caller, root included, and the kernel follows a link where a file or folder is
/// about to be made: in a folder another user can write, that user can leave <c>web-deployment.yaml -&gt; /etc/cron.d/x</c>
/// or <c>sub -&gt; /etc</c> first (the names are predictable: a spec's slug, a dataset's folders), and root would write
/// through it. So the folder, once it exists (made by the verb or found there), must be the caller's own (root's will do),
/// reached through no other user's link, writable by no other user, and group-writable only when its group is its
/// owner's private group: the group named as the owner, the owner's primary group, listing no other member (a user's own
/// folder is <c>0775</c> under the usual <c>umask 002</c> with such a group). Any other group-writable folder is refused,
/// as another member of its group could put links in it. A user who has another's private group as their primary group
/// is not seen (the name service cannot list a group's primary members); making such a user breaks the convention.
/// </summary>
internal static class OwnFolder
{
    /// <summary>
    /// Checks <paramref name="path"/>, makes it when missing and checks it again (another user may have made it between the
    /// two); why it must not be written into, or null once it is there and may be.
    /// </summary>
    public static string? Make(string path)
    {
        if (Problem(path) is { } before)
        {
            return before;
        }

        Directory.CreateDirectory(path);
        return Problem(path);
    }

    /// <summary>Why <paramref name="path"/> may not be written into by this process, or null when it may (or is missing).</summary>
    public static string? Problem(string path) =>
        OperatingSystem.IsLinux() ? Problem(path, Libc.GetEffectiveUserId(), new NssUserDatabase()) : null;

    /// <summary>Why <paramref name="path"/> may not be written into by user <paramref name="self"/>, or null when it may (or is missing).</summary>
    internal static string? Problem(string path, uint self, IUserDatabase accounts)
    {
        var full = Path.GetFullPath(path);
        if (!FileStatus.TryOf(full, followLinks: false, out var status))
        {
            return null; // missing: the verb makes it
        }

        var folder = full;
        if (status.IsSymbolicLink)
        {
            if (status.Uid != self && status.Uid != 0)
            {
                return $"{full} is a symbolic link owned by uid {status.Uid}, another user, who could point it elsewhere while files are written";
            }

            folder = new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
            if (!FileStatus.TryOf(folder, followLinks: false, out status))
            {
                return null; // a dangling link: the verb says so itself
            }
        }

        if (!status.IsDirectory)
        {
            return null; // not a folder: the verb says so itself
        }

        if (status.Uid != self && status.Uid != 0)
        {
            return $"{folder} is owned by uid {status.Uid}, another user, who could put links in it where files are about to be written (and this runs as uid {self}); write into a new folder of your own";
        }

        var mode = Convert.ToString(status.Mode & 0xFFF, 8).PadLeft(4, '0');
        if ((status.Mode & (uint)UnixFileMode.OtherWrite) != 0)
        {
            return $"{folder} is writable by every user (mode {mode}), who could put links in it where files are about to be written; write into a new folder of your own (or chmod o-w it)";
        }

        if ((status.Mode & (uint)UnixFileMode.GroupWrite) != 0 && !IsPrivateGroup(status.Uid, status.Gid, accounts))
        {
            var group = accounts.Group(status.Gid)?.Name is { } name ? $"group {name} (gid {status.Gid}, mode {mode})" : $"gid {status.Gid} (mode {mode})";
            return $"{folder} is writable by {group}, whose other members could put links in it where files are about to be written; chmod g-w it, or write into a new folder of your own";
        }

        return null;
    }

    /// <summary>True when <paramref name="gid"/> is <paramref name="uid"/>'s private group: named as the user, the user's primary group, listing nobody else.</summary>
    private static bool IsPrivateGroup(uint uid, uint gid, IUserDatabase accounts) =>
        accounts.User(uid) is { } owner
        && owner.PrimaryGid == gid
        && accounts.Group(gid) is { } group
        && string.Equals(group.Name, owner.Name, StringComparison.Ordinal)
        && group.Members.All(member => string.Equals(member, owner.Name, StringComparison.Ordinal));
}
