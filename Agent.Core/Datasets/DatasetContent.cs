using System.Formats.Tar;
using GradientNode.Core.Common;

namespace GradientNode.Core.Datasets;

/// <summary>
/// Walks a staging content folder before its commit: every regular file is hashed and shared through the object pool,
/// folders get mode 0755 and files 0444, and anything else (a symbolic link, a fifo, a device a job left behind) is
/// removed, so that a committed version holds only regular files and folders and reading it never follows a link.
/// </summary>
internal static class DatasetContent
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public static async Task<(List<DatasetManifestEntry> Entries, int Dropped)> SealAsync(string content, DatasetObjects objects, Lock objectLock, CancellationToken cancellationToken)
    {
        var entries = new List<DatasetManifestEntry>();
        var dropped = 0;
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(content)]);
        while (pending.TryPop(out var folder))
        {
            folder.UnixFileMode = FolderMode;
            foreach (var info in folder.EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (info.LinkTarget is not null || (info is FileInfo f && !IsRegular(f)))
                {
                    info.Delete();
                    dropped++;
                }
                else if (info is DirectoryInfo sub)
                {
                    pending.Push(sub);
                }
                else
                {
                    var file = (FileInfo)info;
                    var sha = await DatasetObjects.HashAsync(file.FullName, cancellationToken).ConfigureAwait(false);
                    lock (objectLock)
                    {
                        objects.Share(file.FullName, sha);
                    }

                    entries.Add(new DatasetManifestEntry(Path.GetRelativePath(content, file.FullName).Replace(Path.DirectorySeparatorChar, '/'), file.Length, sha));
                }
            }
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return (entries, dropped);
    }

    private static bool IsRegular(FileInfo file) => FileKind.Of(file.FullName) is TarEntryType.RegularFile or TarEntryType.V7RegularFile;
}
