using System.Formats.Tar;

namespace GradientNode.Core.Common;

/// <summary>
/// Reads node.yaml (<c>--config</c>, <c>GRADIENT_CONFIG</c>, <c>/etc/gradient/node.yaml</c>), which root reads at start and
/// on each reload: only a regular file after its links, bounded like a spec (<see cref="BoundedText"/>), or
/// <c>/dev/null</c>, which holds no settings (as <c>ssh -F /dev/null</c>: the way to start without the default file).
/// Before, a fifo was opened for reading, which waits for a writer, so the start (or a reload) hung for good; a folder
/// read "does not exist"; any other device was read as text.
/// </summary>
public static class ConfigFileText
{
    /// <summary>The text of <paramref name="path"/>, empty for <c>/dev/null</c>, or null when nothing is there.</summary>
    /// <exception cref="IOException">Not a regular file, or it cannot be read; the message names the path and why.</exception>
    public static string? Read(string path, int maxChars)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        if (!info.Exists && !Directory.Exists(path))
        {
            // A dangling link is not there either.
            return null;
        }

        var target = info.LinkTarget is null ? path : File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        var kind = Kind(target);
        if (kind is TarEntryType.CharacterDevice && Path.GetFullPath(target) == "/dev/null")
        {
            return string.Empty;
        }

        if (kind is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
        {
            var what = kind switch
            {
                TarEntryType.Directory => "a folder",
                TarEntryType.Fifo => "a fifo (reading it would wait for a writer)",
                TarEntryType.CharacterDevice => "a character device",
                TarEntryType.BlockDevice => "a block device",
                null => "a socket or another kind of file",
                _ => "not a file",
            };
            throw new IOException($"{path} is {what}, not a regular file, so it is not read: the config file is a YAML file (--config /dev/null reads none)");
        }

        return BoundedText.ReadRegularFileAsync(path, maxChars, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>The kind of <paramref name="path"/> itself; null for a socket (which tar has no type for) or a file that cannot be stat'ed.</summary>
    private static TarEntryType? Kind(string path)
    {
        try
        {
            return FileKind.Of(path);
        }
        catch (IOException ex) when (ex is not FileNotFoundException)
        {
            return null;
        }
    }
}
