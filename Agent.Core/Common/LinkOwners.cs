using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace GradientNode.Core.Common;

/// <summary>
/// Root reads through a symbolic link only what the link's owner could have put there. A spec file in the specs dir may
/// be a link into a checkout another user owns (<c>web.yaml -&gt; /srv/specs/web.yaml</c>); that user could turn their
/// file into a link to <c>/etc/shadow</c>, and the root daemon read it and quoted its lines in the status's errors
/// (<c>unknown field 'root:$6$…'</c>), which the socket group reads. So every link on the way from the folder the file
/// is named in (the specs dir, which root chose) to the file itself, links to folders included, must be owned by root
/// or by the owner of the file it leads to; the kernel's <c>fs.protected_symlinks</c> asks much the same of links in
/// sticky folders. The check is made on the opened descriptor (its owner, and its device and inode against those of the
/// file the walk reaches), so a link changed between the open and the walk is refused, never followed unchecked. A link
/// owned by the user the process runs as passes too: it gives that process nothing its user could not read itself.
/// </summary>
public static partial class LinkOwners
{
    /// <summary>The kernel's own limit of links followed in one lookup (<c>ELOOP</c> past it).</summary>
    private const int MaxLinks = 40;

    /// <summary>
    /// Throws when <paramref name="handle"/>, opened at <paramref name="path"/> (links followed), was reached through a
    /// link that is neither root's nor the opened file's owner's, or when what was opened is not where the links lead now
    /// (changed between the walk and the open). Nothing has been read from the handle. Linux only; elsewhere nothing is checked.
    /// </summary>
    /// <exception cref="IOException">Naming the link, its owner and where it leads; the caller treats the file as unreadable.</exception>
    public static void Check(string path, SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Check(path, handle, GetEuid());
    }

    /// <summary>
    /// As <see cref="Check(string, SafeFileHandle)"/> for a process running as <paramref name="self"/>: a link of its own
    /// user passes too, since such a process reads through it only what that user may read anyway (a user's own
    /// <c>--config ~/node.yaml</c> linked to the root-owned <c>/etc/gradient/node.yaml</c>, for a client verb).
    /// </summary>
    internal static void Check(string path, SafeFileHandle handle, uint self) => Check(path, handle, self, wholePath: false);

    /// <summary>
    /// As <see cref="Check(string, SafeFileHandle)"/>, with every link on the whole path checked, the folders' too: for a
    /// file under a folder a caller names whose sub-folders another user may own and swap for links (a client verb's
    /// upload of <c>models add --from DIR</c> or <c>datasets upload</c>, which root may run on a member's folder).
    /// </summary>
    public static void CheckWholePath(string path, SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Check(path, handle, GetEuid(), wholePath: true);
    }

    internal static void Check(string path, SafeFileHandle handle, uint self, bool wholePath)
    {
        var full = Path.GetFullPath(path);
        var (folder, _) = wholePath ? ("/", new List<(string, uint)>()) : Walk(Path.GetDirectoryName(full)!, "/", trusted: true);
        var (final, links) = Walk(wholePath ? full : Path.GetFileName(full), folder, trusted: false);

        // Always, links or not: the walk comes after the open, and a link followed by the open may be gone by the walk.
        var opened = FileStatus.Of(handle);
        if (!FileStatus.TryOf(final, followLinks: true, out var walked) || walked.Device != opened.Device || walked.Inode != opened.Inode)
        {
            throw new IOException($"{path} changed while it was opened (its links lead to {final} now, which is not the file opened), so it is not read; it is read again at the next scan");
        }

        foreach (var (link, uid) in links)
        {
            if (uid != opened.Uid && uid != self)
            {
                throw new IOException($"{path} leads through the symbolic link {link}, owned by uid {uid}, to {final}, owned by uid {opened.Uid}; the node reads through a link only a file that root or the link's owner owns, so it is not read");
            }
        }
    }

    /// <summary>
    /// Resolves <paramref name="relative"/> from <paramref name="start"/> (a folder without links) the way the kernel does,
    /// one component at a time: the path reached, and each link that is not root's with its owner.
    /// </summary>
    private static (string Final, List<(string Link, uint Uid)> Links) Walk(string relative, string start, bool trusted)
    {
        var links = new List<(string, uint)>();
        var left = new Stack<string>(Components(relative).Reverse());
        var current = Path.IsPathRooted(relative) ? "/" : start;
        var followed = 0;
        while (left.TryPop(out var name))
        {
            if (name == ".")
            {
                continue;
            }

            if (name == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = Path.Join(current, name);
            if (!FileStatus.TryOf(next, followLinks: false, out var status) || !status.IsSymbolicLink)
            {
                current = next; // not a link (or not there: the open says why)
                continue;
            }

            if (++followed > MaxLinks)
            {
                throw new IOException($"{next}: too many levels of symbolic links");
            }

            if (!trusted && status.Uid != 0)
            {
                links.Add((next, status.Uid));
            }

            var target = new FileInfo(next).LinkTarget ?? string.Empty;
            if (Path.IsPathRooted(target))
            {
                current = "/";
            }

            foreach (var part in Components(target).Reverse())
            {
                left.Push(part);
            }
        }

        return (current, links);
    }

    private static IEnumerable<string> Components(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();

}
