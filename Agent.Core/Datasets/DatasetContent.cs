using System.Text;
using GradientNode.Core.Common;

namespace GradientNode.Core.Datasets;

/// <summary>
/// Walks a staging content folder before its commit: every regular file is hashed and shared through the object pool,
/// folders get mode 0755 and files 0444, both the store's owner and no extended attributes (<see cref="StoreFile"/>), and anything else (a symbolic link, a fifo, a device a job left behind) is
/// removed, so that a committed version holds only regular files and folders and reading it never follows a link. A name
/// that could not travel as a tar entry (a control character such as a newline, which System.Formats.Tar refuses in a pax
/// header, or bytes that are not UTF-8, which .NET cannot even name) fails the seal naming the file: committed, such a
/// version could never be downloaded. So does a path of <see cref="MaxPathBytes"/> bytes or more (a job's
/// <c>mkdir d &amp;&amp; cd d</c> in a loop), which the node cannot open by its name; the walk stops at the first, before it
/// goes deeper. So does an output of more than <see cref="DefaultMaxEntries"/> entries (files and folders, and the links
/// and fifos left out): the daemon holds each file's name and hash until the manifest is written (about 1.6 KB a file:
/// 500,000 empty files a job wrote took the root daemon from 136 MB to 926 MB), so the count bounds its memory.
/// </summary>
internal static class DatasetContent
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Linux's <c>PATH_MAX</c> and <c>NAME_MAX</c>, as for an upload (<see cref="Integrations.TarExtractor"/>).</summary>
    private const int MaxPathBytes = 4096;
    private const int MaxNameBytes = 255;

    /// <summary>The entries one version's walk may meet, as many as an S3 prefix's objects (<see cref="Integrations.S3Fetcher"/>).</summary>
    public const int DefaultMaxEntries = 1_000_000;

    /// <summary>
    /// Seals <paramref name="content"/> in two passes: the walk (names checked, modes set, what is not a regular file or a
    /// folder removed), then the hashing of every file found, whose bytes <paramref name="progress"/> hears of (at the start,
    /// at most once a <see cref="ProgressEvery"/> on the monotonic clock, and at the end).
    /// </summary>
    public static async Task<(List<DatasetManifestEntry> Entries, int Dropped)> SealAsync(string content, DatasetObjects objects, Lock objectLock, SealOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(options);
        var files = new List<FileInfo>();
        var dropped = 0;
        var seen = 0;
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(content)]);
        while (pending.TryPop(out var folder))
        {
            try
            {
                dropped += SealFolder(content, folder, pending, files, options.MaxEntries - seen, ref seen, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or ArgumentException && NearPathMax(folder))
            {
                // A child's path reaches PATH_MAX: .NET says so as PathTooLongException, or, at some lengths, as an
                // ArgumentException ("The path is empty") or DirectoryNotFoundException from deep inside its calls.
                throw TooDeep(content, folder.FullName);
            }
        }

        var entries = await HashAllAsync(content, files, objects, objectLock, options, cancellationToken).ConfigureAwait(false);
        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return (entries, dropped);
    }

    /// <summary>How often a long seal reports its progress.</summary>
    public static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(1);

    private static async Task<List<DatasetManifestEntry>> HashAllAsync(string content, List<FileInfo> files, DatasetObjects objects, Lock objectLock, SealOptions options, CancellationToken cancellationToken)
    {
        // The write's folder, beside its content (same file system, no job writes there): Share's replacement links.
        var scratch = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(content))!;
        var entries = new List<DatasetManifestEntry>(files.Count);
        var total = files.Sum(f => f.Length);
        var done = 0L;
        var holes = 0L;
        var reported = options.Time.GetTimestamp();
        options.Progress?.Invoke(new DatasetCommitProgress(0, total));
        foreach (var file in files)
        {
            var path = Path.GetRelativePath(content, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            var (sha, fileHoles) = await ContentHasher.HashAsync(file.FullName, path, options.MaxHoleBytes, holes, Advanced, cancellationToken).ConfigureAwait(false);
            holes += fileHoles;
            lock (objectLock)
            {
                objects.Share(file.FullName, sha, scratch);
            }

            entries.Add(new DatasetManifestEntry(path, file.Length, sha));
        }

        options.Progress?.Invoke(new DatasetCommitProgress(total, total));
        return entries;

        void Advanced(long bytes)
        {
            done += bytes;
            if (options.Progress is { } progress && options.Time.GetElapsedTime(reported) >= ProgressEvery)
            {
                reported = options.Time.GetTimestamp();
                progress(new DatasetCommitProgress(Math.Min(done, total), total));
            }
        }
    }

    /// <summary>
    /// Walks the entries of one folder: its folders are pushed onto <paramref name="pending"/>, its regular files added to
    /// <paramref name="files"/> (hashed later); returns how many entries were dropped.
    /// </summary>
    private static int SealFolder(string content, DirectoryInfo folder, Stack<DirectoryInfo> pending, List<FileInfo> files, int left, ref int seen, CancellationToken cancellationToken)
    {
        var dropped = 0;
        StoreFile.Claim(folder.FullName); // the store's, as its files (StoreFile)
        folder.UnixFileMode = FolderMode;
        var entries = folder.EnumerateFileSystemInfos().Take(left + 1).ToList();
        seen += entries.Count;
        if (entries.Count > left)
        {
            var where = Shown(content, folder.FullName);
            var limit = (seen - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new DatasetException(
                DatasetError.Invalid,
                $"{(where.Length == 0 ? "the top folder" : $"folder '{where}'")} takes the output past {limit} files and folders (links and fifos counted), more than a dataset version may hold: the node keeps each file's name and hash in memory while it commits; pack small files into archives (or raise the node's --dataset-max-entries); nothing was committed");
        }

        foreach (var info in entries.OrderBy(i => i.Name, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            CheckName(content, folder, info);
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
                files.Add((FileInfo)info);
            }
        }

        return dropped;
    }

    /// <summary>Whether a child of <paramref name="folder"/> may have a path of <c>PATH_MAX</c> bytes or more.</summary>
    private static bool NearPathMax(DirectoryInfo folder) => Encoding.UTF8.GetByteCount(folder.FullName) + 1 + MaxNameBytes >= MaxPathBytes;

    private static DatasetException TooDeep(string content, string path) => new(
        DatasetError.Invalid,
        $"'{Shown(content, path)}…' is too deep: its path in the store is {MaxPathBytes} bytes or longer, which the node's file system cannot open: keep the output's paths shorter; nothing was committed");

    /// <summary>The path below <paramref name="content"/>, cut at 200 characters, <c>?</c> for each control character.</summary>
    private static string Shown(string content, string path) =>
        new([.. path.AsSpan(Math.Min(path.Length, content.TrimEnd('/').Length + 1)).ToArray().Take(200).Select(c => char.IsControl(c) ? '?' : c)]);

    /// <summary>Refuses a name that a download could not carry (see the class summary); the message shows it with <c>?</c> for each bad character.</summary>
    private static void CheckName(string content, DirectoryInfo folder, FileSystemInfo info)
    {
        // Past PATH_MAX .NET can no longer name an entry: its FullName comes back empty, not as an error.
        var path = Path.Join(folder.FullName, info.Name);
        if (Encoding.UTF8.GetByteCount(path) >= MaxPathBytes || info.FullName != path)
        {
            throw TooDeep(content, path);
        }

        var shown = Shown(content, path);
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

    private static bool IsRegular(FileInfo file) => FileKind.IsRegular(file.FullName);
}
