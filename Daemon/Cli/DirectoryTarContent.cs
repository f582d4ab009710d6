using System.Formats.Tar;
using System.Net;
using GradientNode.Core.Common;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// A request body that is a folder as a pax tar stream, read by the client with the caller's own permissions (the
/// daemon never opens a path a caller names). Regular files and folders only; a link to a file is sent as that file's
/// content; a link to a folder, a device, a fifo or a socket is an error before anything is sent.
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
                        entries.Add((name, target));
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
    public long EstimatedBytes => _entries.Sum(e => 512 + (e.File is { } f ? (new FileInfo(f).Length + 511) / 512 * 512 : 0)) + 1024;

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

            FileStream data;
            try
            {
                data = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, useAsync: true);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                throw new UploadSourceException($"cannot read {file}: {(ex is UnauthorizedAccessException ? "permission denied" : ex.Message)}", ex);
            }

            await using (data)
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
