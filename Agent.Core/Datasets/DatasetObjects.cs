using System.Buffers;
using GradientNode.Core.Common;

namespace GradientNode.Core.Datasets;

/// <summary>
/// The content-addressed pool <c>.objects/&lt;aa&gt;/&lt;sha256&gt;</c> that makes identical files of different versions one
/// inode: a committed file is a hard link to its object (never a copy: a sparse file keeps its holes, see
/// docs/design/datasets.md). An object no manifest names is removed by <see cref="Sweep"/>.
/// </summary>
internal sealed class DatasetObjects(string directory)
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public string Directory { get; } = directory;

    public string PathOf(string sha256) => Path.Combine(Directory, sha256[..2], sha256);

    /// <summary>
    /// Makes <paramref name="file"/> the store's (<see cref="StoreFile"/>, mode 0444) and shares its object: a link to the existing object (the file's own copy is dropped), or
    /// the first copy of the object. Returns true when the file now shares an earlier copy. A file system limits the names
    /// of one file (ext4: 65,000), so an object that has as many as it allows (65,000 empty files, in one version or over
    /// many) is replaced in the pool by <paramref name="file"/>, which the files after it share; the versions that link the
    /// full one keep it. A file that itself has that many names (hard links a job made in its output) stays its own copy.
    /// Before, either failed the commit ("Too many links"), for every later version holding the same content. A file that
    /// is already the object (a second name of a file the job hard-linked in its output, <c>ln a b</c>, whose first name
    /// became the object) is left as it is: rename(2) onto another name of the same file does nothing, so the replacement
    /// link stayed in the version beside it, named by no manifest. The replacement link is made in <paramref name="scratch"/>
    /// (the write's own folder, beside its content, on the same file system), named <see cref="LinkPrefix"/> and 8 hex digits:
    /// a crash between the link and its rename leaves it there, where no job writes, and the next commit of the write removes
    /// it (<see cref="RemoveStrayLinks"/>). Before, it was made beside the file (<c>NAME.link-XXXXXXXX</c>), a name a job may
    /// give a file of its own, and a resumed commit kept the stray as a file of the version.
    /// </summary>
    public bool Share(string file, string sha256, string scratch)
    {
        var target = PathOf(sha256);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        StoreFile.Claim(file); // root's, no extended attributes: before the mode, since a chown clears setuid bits
        File.SetUnixFileMode(file, FileMode);
        if (PosixFile.HardLink(file, target) is HardLinkOutcome.Linked or HardLinkOutcome.TooManyLinks)
        {
            return false;
        }

        if (SameFile(file, target))
        {
            return true;
        }

        var suffix = Guid.NewGuid().ToString("N")[..8];
        var replacement = Path.Combine(scratch, LinkPrefix + suffix);
        if (PosixFile.HardLink(target, replacement) == HardLinkOutcome.Linked)
        {
            File.Move(replacement, file, overwrite: true);
            return true;
        }

        // The object is full: this file becomes it (a rename replaces the pool's name at once; a crash in between leaves
        // a name no manifest keeps, which the next gc removes).
        var fresh = target + ".new-" + suffix;
        if (PosixFile.HardLink(file, fresh) == HardLinkOutcome.Linked)
        {
            File.Move(fresh, target, overwrite: true);
        }

        return false;
    }

    /// <summary>The start of a replacement link's name in a write's folder (<see cref="Share"/>).</summary>
    public const string LinkPrefix = ".link-";

    /// <summary>
    /// Removes from a write's folder <paramref name="scratch"/> (not below it) the replacement links a crash left there:
    /// files named <see cref="LinkPrefix"/> and 8 lowercase hex digits, which only <see cref="Share"/> makes there.
    /// </summary>
    public static int RemoveStrayLinks(string scratch)
    {
        if (!System.IO.Directory.Exists(scratch))
        {
            return 0;
        }

        var strays = System.IO.Directory.EnumerateFiles(scratch, LinkPrefix + "????????").Where(f => IsStrayLink(Path.GetFileName(f))).ToList();
        foreach (var stray in strays)
        {
            File.Delete(stray);
        }

        return strays.Count;
    }

    private static bool IsStrayLink(string name) =>
        name.Length == LinkPrefix.Length + 8 && name.StartsWith(LinkPrefix, StringComparison.Ordinal)
        && name.AsSpan(LinkPrefix.Length).ContainsAnyExcept(LowerHex) is false;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>Whether the two names (links not followed) are one file: the same inode on the same device.</summary>
    private static bool SameFile(string one, string other) =>
        FileStatus.TryOf(one, followLinks: false, out var a) && FileStatus.TryOf(other, followLinks: false, out var b)
        && a.Inode == b.Inode && a.Device == b.Device;

    /// <summary>Removes the objects that no name in <paramref name="referenced"/> keeps; returns (objects, apparent bytes).</summary>
    public (int Count, long Bytes) Sweep(IReadOnlySet<string> referenced)
    {
        var doomed = Unreferenced(referenced);
        var bytes = doomed.Sum(f => f.Length);
        foreach (var file in doomed)
        {
            file.Delete();
        }

        return (doomed.Count, bytes);
    }

    /// <summary>
    /// The objects (and leftover <c>.new-</c> names) that no name in <paramref name="referenced"/> keeps and that have no
    /// hard link outside the trees <paramref name="going"/>: one that has (a commit sealing now linked its file to it and
    /// writes its manifest after) stays for a later sweep; removing it would free nothing anyway.
    /// </summary>
    public IReadOnlyList<FileInfo> Unreferenced(IReadOnlySet<string> referenced, IEnumerable<string>? going = null)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var candidates = new DirectoryInfo(Directory).EnumerateFiles("*", SearchOption.AllDirectories).Where(f => !referenced.Contains(f.Name)).ToList();
        var kept = DiskUsage.KeptElsewhere([.. candidates.Select(f => f.FullName)], going ?? []);
        return [.. candidates.Where(f => !kept.Contains(f.FullName))];
    }
}
