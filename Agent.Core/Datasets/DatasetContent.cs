using GradientNode.Core.Common;

namespace GradientNode.Core.Datasets;

/// <summary>
/// Walks a staging content folder before its commit: every regular file is hashed and shared through the object pool,
/// folders get mode 0755 and files 0444, and anything else (a symbolic link, a fifo, a device a job left behind) is
/// removed, so that a committed version holds only regular files and folders and reading it never follows a link. A name
/// that could not travel as a tar entry (a control character such as a newline, which System.Formats.Tar refuses in a pax
/// header, or bytes that are not UTF-8, which .NET cannot even name) fails the seal naming the file: committed, such a
/// version could never be downloaded. So does a path of <see cref="MaxPathBytes"/> bytes or more (a job's
/// <c>mkdir d &amp;&amp; cd d</c> in a loop), which the node cannot open by its name; the walk stops at the first, before it
/// goes deeper.
/// </summary>
internal static class DatasetContent
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Linux's <c>PATH_MAX</c>, as for an upload (<see cref="Integrations.TarExtractor"/>).</summary>
    private const int MaxPathBytes = 4096;

    public static async Task<(List<DatasetManifestEntry> Entries, int Dropped)> SealAsync(string content, DatasetObjects objects, Lock objectLock, CancellationToken cancellationToken)
    {
        var entries = new List<DatasetManifestEntry>();
        var dropped = 0;
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(content)]);
        while (pending.TryPop(out var folder))
        {
            folder.UnixFileMode = FolderMode;
            foreach (var info in List(content, folder))
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

    /// <summary>The folder's entries by name; .NET throws on the first whose full path reaches <c>PATH_MAX</c>.</summary>
    private static List<FileSystemInfo> List(string content, DirectoryInfo folder)
    {
        try
        {
            return [.. folder.EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal)];
        }
        catch (PathTooLongException)
        {
            throw TooDeep(content, folder);
        }
    }

    private static DatasetException TooDeep(string content, FileSystemInfo info) => new(
        DatasetError.Invalid,
        $"'{Shown(content, info)}…' is too deep: its path in the store is {MaxPathBytes} bytes or longer, which the node's file system cannot open: keep the output's paths shorter; nothing was committed");

    private static string Shown(string content, FileSystemInfo info) =>
        new([.. Path.GetRelativePath(content, info.FullName).Take(200).Select(c => char.IsControl(c) ? '?' : c)]);

    /// <summary>Refuses a name that a download could not carry (see the class summary); the message shows it with <c>?</c> for each bad character.</summary>
    private static void CheckName(string content, FileSystemInfo info)
    {
        var shown = Shown(content, info);
        if (info.Name.Any(char.IsControl))
        {
            throw new DatasetException(DatasetError.Invalid, $"'{shown}' has a control character in its name (shown as ?, e.g. a newline), which no download could carry: rename it; nothing was committed");
        }

        // .NET reads bytes that are not UTF-8 as U+FFFD and then cannot find the file by that name.
        if (info.Name.Contains('\uFFFD', StringComparison.Ordinal) && !Path.Exists(info.FullName))
        {
            throw new DatasetException(DatasetError.Invalid, $"'{shown}' has a name that is not UTF-8 (shown with \uFFFD where its bad bytes are), which no download could carry: rename it to UTF-8; nothing was committed");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(info.FullName) >= MaxPathBytes)
        {
            throw TooDeep(content, info);
        }
    }

    private static bool IsRegular(FileInfo file) => FileKind.IsRegular(file.FullName);
}
