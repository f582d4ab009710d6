using System.Formats.Tar;
using System.Globalization;
using System.Text;
using GradientNode.Core.Common;

namespace GradientNode.Core.Integrations;

/// <summary>
/// Unpacks an uploaded tar stream (ustar, pax or gnu) into a folder, streaming, with the trust of an upload from a
/// stranger: only regular files and folders (links, devices and fifos are refused), only relative paths that stay
/// inside the folder (no absolute path, no <c>..</c>), at most <c>maxBytes</c> of file content, and none of the
/// archive's owners or modes (files 0644, folders 0755). Each entry counts 512 bytes (its header) towards the cap besides
/// its content, so that millions of empty entries cannot pass it either. A path or pax header may declare at most
/// 1 MiB (<see cref="TarMetadataGuard"/>): the reader would hold all it declares in memory.
/// </summary>
public static class TarExtractor
{
    private const int HeaderBytes = 512;

    /// <summary>Linux's <c>NAME_MAX</c> and <c>PATH_MAX</c>: past them the file system answers ENAMETOOLONG.</summary>
    private const int MaxNameBytes = 255;

    private const int MaxPathBytes = 4096;

    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Extracts <paramref name="tar"/> into the existing folder <paramref name="target"/>; returns (bytes, files).</summary>
    public static async Task<(long Bytes, long Files)> ExtractAsync(Stream tar, string target, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tar);
        var root = Path.GetFullPath(target);
        long bytes = 0, files = 0, budget = 0;
        var guard = new TarMetadataGuard(tar);
        await using var reader = new TarReader(guard, leaveOpen: true);
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
                if (entry?.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile)
                {
                    guard.CheckEntry(hasData: true, entry.Length);
                }
                else if (entry?.EntryType is TarEntryType.Directory or TarEntryType.GlobalExtendedAttributes)
                {
                    guard.CheckEntry(hasData: false, 0);
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw new UploadRejectedException($"the upload is not a valid tar stream: {ex.Message}");
            }

            if (entry is null)
            {
                return (bytes, files);
            }

            budget += HeaderBytes;
            if (budget > maxBytes)
            {
                throw TooLarge(maxBytes, entry.Name);
            }

            switch (entry.EntryType)
            {
                case TarEntryType.GlobalExtendedAttributes:
                    continue;
                case TarEntryType.Directory:
                    Directory.CreateDirectory(PathOf(root, entry.Name));
                    continue;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    break;
                default:
                    throw new UploadRejectedException(
                        $"tar entry '{Printable(entry.Name)}' is a {Describe(entry.EntryType)}: only regular files and folders may be uploaded");
            }

            var path = PathOf(root, entry.Name);
            if (budget + entry.Length > maxBytes)
            {
                throw TooLarge(maxBytes, entry.Name);
            }

            if (File.Exists(path) || Directory.Exists(path))
            {
                throw new UploadRejectedException($"tar entry '{Printable(entry.Name)}' appears twice");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode, Options = FileOptions.Asynchronous };
            await using (var output = new FileStream(path, options))
            {
                if (entry.DataStream is { } data)
                {
                    await SparseCopy.CopyAsync(data, output, cancellationToken).ConfigureAwait(false); // zeros stay holes
                }
            }

            budget += entry.Length;
            bytes += entry.Length;
            files++;
        }
    }

    /// <summary>
    /// The full path of an entry under <paramref name="root"/>; refuses absolute paths, <c>..</c>, empty names and names the
    /// file system would refuse as too long (an IO fault, logged as the daemon's, rather than the caller's mistake).
    /// </summary>
    internal static string PathOf(string root, string name)
    {
        var segments = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        if (name.StartsWith('/') || segments.Count == 0 || segments.Any(s => s == ".." || s.Contains('\0', StringComparison.Ordinal)))
        {
            throw new UploadRejectedException($"tar entry '{Printable(name)}' is not a relative path inside the upload (absolute paths and '..' are refused)");
        }

        if (segments.Any(s => Encoding.UTF8.GetByteCount(s) > MaxNameBytes))
        {
            throw new UploadRejectedException($"tar entry '{Printable(name)}' has a file or folder name longer than {MaxNameBytes} bytes, which the node's file system cannot hold");
        }

        var full = Path.GetFullPath(Path.Combine([root, .. segments]));
        if (Encoding.UTF8.GetByteCount(full) >= MaxPathBytes)
        {
            throw new UploadRejectedException($"tar entry '{Printable(name)}' is too deep: its path in the store would be {MaxPathBytes} bytes or longer, which the node's file system cannot open");
        }

        return full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new UploadRejectedException($"tar entry '{Printable(name)}' leaves the upload's folder");
    }

    private static UploadRejectedException TooLarge(long maxBytes, string name) =>
        new(string.Create(CultureInfo.InvariantCulture, $"the upload is larger than the node's limit of {maxBytes} bytes (at tar entry '{Printable(name)}'; see --model-upload-limit)"), tooLarge: true);

    private static string Describe(TarEntryType type) => type switch
    {
        TarEntryType.SymbolicLink => "symbolic link",
        TarEntryType.HardLink => "hard link",
        TarEntryType.CharacterDevice => "character device",
        TarEntryType.BlockDevice => "block device",
        TarEntryType.Fifo => "fifo",
        _ => $"'{type}' entry",
    };

    private static string Printable(string name) =>
        new([.. name.Take(200).Select(c => char.IsControl(c) ? '?' : c)]);
}
