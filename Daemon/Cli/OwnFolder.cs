using GradientNode.Daemon.Security;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// A folder a client verb writes files into by name (<c>datasets download NAME DIR</c>, <c>export -o DIR</c>, <c>fetch
/// s3://… DIR</c>). The verb runs as its caller, root included, and the kernel follows a link where a file or folder is
/// about to be made: in a folder another user can write, that user can leave <c>web-deployment.yaml -&gt; /etc/cron.d/x</c>
/// or <c>sub -&gt; /etc</c> first (the names are predictable: a spec's slug, a dataset's folders), and root would write
/// through it. So the folder, once it exists (made by the verb or found there), must be the caller's own (root's will do),
/// reached through no other user's link, and writable by nobody but its owner's group. Group-writable folders stay allowed:
/// a user's own folder is <c>0775</c> under the usual <c>umask 002</c> with a group of their own.
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
    public static string? Problem(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        var self = Libc.GetEffectiveUserId();
        if (NssUserDatabase.Owner(full) is not { } link)
        {
            return null; // missing: the verb makes it
        }

        var folder = full;
        if (new DirectoryInfo(full).LinkTarget is not null)
        {
            if (link.Uid != self && link.Uid != 0)
            {
                return $"{full} is a symbolic link owned by uid {link.Uid}, another user, who could point it elsewhere while files are written";
            }

            folder = new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }

        if (NssUserDatabase.Owner(folder) is not { } owner || !Directory.Exists(folder))
        {
            return null; // not a folder: the verb says so itself
        }

        if (owner.Uid != self && owner.Uid != 0)
        {
            return $"{folder} is owned by uid {owner.Uid}, another user, who could put links in it where files are about to be written (and this runs as uid {self}); write into a new folder of your own";
        }

        if ((File.GetUnixFileMode(folder) & UnixFileMode.OtherWrite) != 0)
        {
            return $"{folder} is writable by every user, who could put links in it where files are about to be written; write into a new folder of your own (or chmod o-w it)";
        }

        return null;
    }
}
