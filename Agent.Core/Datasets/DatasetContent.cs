using System.Formats.Tar;
using GradientNode.Core.Common;

namespace GradientNode.Core.Datasets;

/// <summary>
/// Walks a staging content folder before its commit: every regular file is hashed and shared through the object pool,
/// folders get mode 0755 and files 0444, and anything else (a symbolic link, a fifo, a device a job left behind) is
/// removed, so that a committed version holds only regular files and folders and reading it never follows a link. A name
/// that could not travel as a tar entry (a control character such as a newline, which System.Formats.Tar refuses in a pax
/// header, or bytes that are not UTF-8, which .NET cannot even name) fails the seal naming the file: committed, such a
/// version could never be downloaded.
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
                CheckName(content, info);
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

    /// <summary>Refuses a name that a download could not carry (see the class summary); the message shows it with <c>?</c> for each bad character.</summary>
    private static void CheckName(string content, FileSystemInfo info)
    {
        var shown = new string([.. Path.GetRelativePath(content, info.FullName).Take(200).Select(c => char.IsControl(c) ? '?' : c)]);
        if (info.Name.Any(char.IsControl))
        {
            throw new DatasetException(DatasetError.Invalid, $"'{shown}' has a control character in its name (shown as ?, e.g. a newline), which no download could carry: rename it; nothing was committed");
        }

        // .NET reads bytes that are not UTF-8 as U+FFFD and then cannot find the file by that name.
        if (info.Name.Contains('\uFFFD', StringComparison.Ordinal) && !Path.Exists(info.FullName))
        {
            throw new DatasetException(DatasetError.Invalid, $"'{shown}' has a name that is not UTF-8 (shown with \uFFFD where its bad bytes are), which no download could carry: rename it to UTF-8; nothing was committed");
        }
    }

    private static bool IsRegular(FileInfo file) => FileKind.Of(file.FullName) is TarEntryType.RegularFile or TarEntryType.V7RegularFile;
}
