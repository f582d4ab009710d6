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
    /// Makes <paramref name="file"/> share its object: a link to the existing object (the file's own copy is dropped), or
    /// the first copy of the object. Returns true when the file now shares an earlier copy.
    /// </summary>
    public bool Share(string file, string sha256)
    {
        var target = PathOf(sha256);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.SetUnixFileMode(file, FileMode);
        if (PosixFile.TryHardLink(file, target))
        {
            return false;
        }

        var replacement = file + ".link-" + Guid.NewGuid().ToString("N")[..8];
        PosixFile.TryHardLink(target, replacement);
        File.Move(replacement, file, overwrite: true);
        return true;
    }

    /// <summary>Removes the objects that no name in <paramref name="referenced"/> keeps; returns (objects, bytes).</summary>
    public (int Count, long Bytes) Sweep(IReadOnlySet<string> referenced)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return (0, 0);
        }

        var (count, bytes) = (0, 0L);
        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            if (!referenced.Contains(file.Name))
            {
                bytes += file.Length;
                file.Delete();
                count++;
            }
        }

        return (count, bytes);
    }
}
