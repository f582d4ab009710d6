using System.Formats.Tar;
using System.Net;
using GradientNode.Core.Common;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// A request body that is a folder as a pax tar stream, read by the client with the caller's own permissions (the
/// daemon never opens a path a caller names). Regular files and folders only; a link to a file is sent as that file's
/// content; a link to a folder, a device, a fifo or a socket is an error before anything is sent. Root may run this on a
/// folder another user owns (<c>models add X --from /home/alice/model</c>): every link on a file's path, the folders'
/// included, must be root's, the caller's or owned by the owner of the file it leads to (<see cref="LinkOwners"/>,
/// checked on the opened file, so a folder swapped for a link after the walk is caught too); otherwise the upload stops
/// naming the link, and nothing of that file is sent. Before, root followed such a link to a file only root reads
/// (<c>weights.bin -&gt; /etc/shadow</c>) and uploaded it into the store, where that user's deployments could mount it.
/// </summary>
internal sealed class DirectoryTarContent : HttpContent
{
    private readonly List<(string Name, string? File)> _entries;

    private DirectoryTarContent(List<(string Name, string? File)> entries)
    {
        _entries = entries;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-tar");
    }

    /// <summary>Walks <paramref name="root"/> now, so that permission problems show before the upload starts.</summary>
    public static DirectoryTarContent Of(string root)
    {
        var entries = new List<(string Name, string? File)>();
        try
        {
            if (!Directory.Exists(root))
            {
                throw new UploadSourceException($"{root} is not a directory");
            }

            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = 0 };
            foreach (var info in new DirectoryInfo(root).EnumerateFileSystemInfos("*", options).OrderBy(i => i.FullName, StringComparer.Ordinal))
            {
                var name = Path.GetRelativePath(root, info.FullName).Replace(Path.DirectorySeparatorChar, '/');
                if (info.Name.Any(char.IsControl))
                {
                    // A newline in a pax header's path is valid tar, but the daemon's reader (System.Formats.Tar) refuses the
                    // whole stream ("The extended header contains invalid records"): say which file, before anything is sent.
                    throw new UploadSourceException(
                        $"{Printable(info.FullName)} has a control character in its name (shown as ?, e.g. a newline): rename it; such names cannot be uploaded");
                }

                var target = info.LinkTarget is null ? info.FullName : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
                var kind = File.Exists(target) || Directory.Exists(target) ? FileKind.Of(target) : TarEntryType.SymbolicLink;
                switch (kind)
                {
                    case TarEntryType.Directory when info.LinkTarget is null:
                        entries.Add((name, null));
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                        if (info.LinkTarget is not null)
                        {
                            OpenChecked(info.FullName).Dispose(); // say so before anything is sent
                        }

                        entries.Add((name, info.FullName));
                        break;
                    default:
                        throw new UploadSourceException(
                            $"{info.FullName} is {(info.LinkTarget is null ? $"a {Describe(kind)}" : "a link to a folder or to nothing")}: only regular files and folders can be uploaded");
                }
            }
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new UploadSourceException($"cannot read {root}: permission denied ({ex.Message}); models add reads DIR with your own permissions", ex);
        }
        catch (IOException ex)
        {
            throw new UploadSourceException($"cannot read {root}: {ex.Message}", ex);
        }

        // An empty tar stream (TarWriter writes no end-of-archive blocks without an entry) read as "not a valid tar
        // stream: Unable to read beyond the end of the stream" on the daemon's side.
        return entries.Count > 0
            ? new DirectoryTarContent(entries)
            : throw new UploadSourceException($"{root} is empty: there is nothing to upload (a version needs at least one file or folder)");
    }

    /// <summary>Opens <paramref name="path"/> (links followed) when every link on its way passes <see cref="LinkOwners"/>.</summary>
    private static FileStream OpenChecked(string path)
    {
        FileStream data;
        try
        {
            data = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new UploadSourceException($"cannot read {path}: {(ex is UnauthorizedAccessException ? "permission denied" : ex.Message)}", ex);
        }

        try
        {
            LinkOwners.CheckWholePath(path, data.SafeFileHandle);
            return data;
        }
        catch (IOException ex)
        {
            data.Dispose();
            throw new UploadSourceException($"cannot upload {path}: {ex.Message}", ex);
        }
    }

    private static string Describe(TarEntryType kind) => kind switch
    {
        TarEntryType.Fifo => "fifo",
        TarEntryType.CharacterDevice => "character device",
        TarEntryType.BlockDevice => "block device",
        TarEntryType.SymbolicLink => "symbolic link",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string Printable(string path) => new([.. path.Select(c => char.IsControl(c) ? '?' : c)]);

    /// <summary>About how many bytes the tar stream will hold (content plus a header per entry), for a progress bar.</summary>
    public long EstimatedBytes => _entries.Sum(e => 512 + (e.File is { } f ? (LengthOf(f) + 511) / 512 * 512 : 0)) + 1024;

    /// <summary>The length of the file <paramref name="path"/> leads to (a link's own length is that of its target's name).</summary>
    private static long LengthOf(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is null ? info.Length : (info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo)?.Length ?? 0;
    }

    /// <summary>Wraps the stream the tar goes to (a progress counter); identity when null.</summary>
    public Func<Stream, Stream>? Observe { get; set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        stream = Observe?.Invoke(stream) ?? stream;
        await using var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var (name, file) in _entries)
        {
            if (file is null)
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, name + "/"), cancellationToken);
                continue;
            }

            await using (var data = OpenChecked(file))
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = data }, cancellationToken);
            }
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
