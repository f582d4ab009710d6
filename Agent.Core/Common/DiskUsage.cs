namespace GradientNode.Core.Common;

/// <summary>
/// What removing some trees gives back to the disk, as <c>df</c> would see it: the allocated blocks (<c>st_blocks</c>, so a
/// sparse file's holes count nothing) of every file and folder under them, each inode once however many of its names lie
/// under them, and a file only when every one of its names (<c>st_nlink</c>) does: a file that keeps a name elsewhere (a
/// dataset version that stays, an open write linked to the same object) frees nothing. Links are never followed (Linux
/// <c>statx</c> with <c>AT_SYMLINK_NOFOLLOW</c>); what cannot be read (a name .NET cannot spell, a tree past
/// <c>PATH_MAX</c>) is left out, so the figure is then a lower bound. See docs/design/datasets.md.
/// </summary>
public static class DiskUsage
{
    /// <summary>The bytes removing all of <paramref name="paths"/> (files or folders) frees; a path that is not there counts 0.</summary>
    public static long Freed(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var seen = new Dictionary<(ulong Dev, ulong Ino), (uint Links, uint Found, long Bytes)>();
        var bytes = 0L;
        foreach (var (_, node) in Walk(paths))
        {
            if (node.IsDirectory)
            {
                bytes += node.Bytes; // a folder goes with its tree, whatever its link count says
                continue;
            }

            var key = (node.Dev, node.Ino);
            seen[key] = seen.TryGetValue(key, out var known) ? known with { Found = known.Found + 1 } : (node.Links, 1, node.Bytes);
        }

        return bytes + seen.Values.Where(v => v.Found >= v.Links).Sum(v => v.Bytes);
    }

    /// <summary>
    /// The files of <paramref name="files"/> that keep a name outside them and the trees <paramref name="going"/>: removing
    /// them frees nothing, and that other name may be a write that is linking to them right now.
    /// </summary>
    public static IReadOnlySet<string> KeptElsewhere(IReadOnlyCollection<string> files, IEnumerable<string> going)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(going);
        var found = new Dictionary<(ulong Dev, ulong Ino), uint>();
        var links = new Dictionary<string, ((ulong Dev, ulong Ino) Key, uint Links)>(StringComparer.Ordinal);
        var wanted = files.ToHashSet(StringComparer.Ordinal);
        foreach (var (path, node) in Walk(files.Concat(going)))
        {
            if (node.IsDirectory)
            {
                continue;
            }

            found[(node.Dev, node.Ino)] = found.GetValueOrDefault((node.Dev, node.Ino)) + 1;
            if (wanted.Contains(path))
            {
                links[path] = ((node.Dev, node.Ino), node.Links);
            }
        }

        return links.Where(l => l.Value.Links > found[l.Value.Key]).Select(l => l.Key).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every entry under <paramref name="roots"/> (each path once, links not followed); what cannot be read is left out.</summary>
    private static IEnumerable<(string Path, Node Node)> Walk(IEnumerable<string> roots)
    {
        var pending = new Stack<string>(roots.Distinct(StringComparer.Ordinal));
        while (pending.TryPop(out var path))
        {
            if (Stat(path) is not { } node)
            {
                continue;
            }

            yield return (path, node);
            if (!node.IsDirectory)
            {
                continue;
            }

            IEnumerable<string> children;
            try
            {
                children = [.. Directory.EnumerateFileSystemEntries(path)];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // left out: the figure is a lower bound
            }

            foreach (var child in children)
            {
                pending.Push(child);
            }
        }
    }

    /// <summary>The apparent size (the sum of the regular files' lengths) under <paramref name="path"/>, links not followed; 0 when it is not there.</summary>
    public static long ApparentSize(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var total = 0L;
        var pending = new Stack<string>([path]);
        while (pending.TryPop(out var next))
        {
            if (Stat(next) is not { } node)
            {
                continue;
            }

            if (!node.IsDirectory)
            {
                total += node.IsRegular ? node.Size : 0;
                continue;
            }

            try
            {
                foreach (var child in Directory.EnumerateFileSystemEntries(next))
                {
                    pending.Push(child);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left out, as above.
            }
        }

        return total;
    }

    private static Node? Stat(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Fallback(path);
        }

        return FileStatus.TryOf(path, followLinks: false, out var status)
            ? new Node(status.Device, status.Inode, status.Links, status.AllocatedBytes, status.Size, status.IsDirectory, status.IsRegular)
            : null; // gone meanwhile, or a path the kernel refuses (too long)
    }

    /// <summary>Off Linux (development only): apparent sizes, every name counted as its own file.</summary>
    private static Node? Fallback(string path)
    {
        var info = new FileInfo(path);
        if (info.Attributes == (FileAttributes)(-1))
        {
            return null;
        }

        var isDirectory = info.Attributes.HasFlag(FileAttributes.Directory) && info.LinkTarget is null;
        var size = isDirectory || info.LinkTarget is not null ? 0 : info.Length;
        return new Node(0, (ulong)path.GetHashCode(StringComparison.Ordinal), 1, size, size, isDirectory, !isDirectory && info.LinkTarget is null);
    }

    private readonly record struct Node(ulong Dev, ulong Ino, uint Links, long Bytes, long Size, bool IsDirectory, bool IsRegular);
}
