using System.Formats.Tar;
using Microsoft.Win32.SafeHandles;

namespace GradientNode.Core.Common;

/// <summary>
/// Reads a text file a caller may have made huge (a spec in the specs dir, a file given to <c>validate</c>, node.yaml)
/// without holding more than <paramref name="maxChars"/> + 1 characters: one more than the limit is enough for the
/// parser's size check (<c>YamlGuard</c>) to refuse it, and the rest is never read. The bytes are decoded by
/// <see cref="Utf8Text.Decode"/>: a UTF-8 byte-order mark is dropped and bytes that are not UTF-8 stay visible to the
/// YAML guard, which refuses them at their line and column.
/// </summary>
public static class BoundedText
{
    /// <summary>
    /// A file a client verb's caller names (<c>apply -f</c>, <c>validate</c>, <c>diff</c>, <c>export</c>, <c>workflows run
    /// FILE</c> and its <c>--inputs</c>), read with the caller's rights. Only a regular file is opened, without waiting (a
    /// fifo named so held the verb for good, waiting for a writer). Every link on its whole path must be root's, the
    /// caller's or the owner's of the file it leads to (<see cref="LinkOwners.CheckWholePath"/>, as for <c>secrets set
    /// --from-file</c> and uploads): root may apply a member's file (<c>apply -f /home/alice/web.yaml</c>), and alice's link
    /// there to a file only root reads had root print its lines in the parse errors and send it to the daemon, which keeps
    /// what parses (a spec, a run's inputs) where the socket group reads it back.
    /// </summary>
    /// <exception cref="IOException">Not a regular file, or reached through another user's link (naming it); nothing was read.</exception>
    public static async Task<string> ReadAsync(string path, int maxChars, CancellationToken cancellationToken)
    {
        SafeFileHandle? handle;
        try
        {
            handle = RegularFile.TryOpenForRead(path);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.", ex);
        }

        if (handle is null)
        {
            throw new IOException($"{path} is not a regular file (a fifo, device, socket or folder), so it is not read");
        }

        try
        {
            LinkOwners.CheckWholePath(path, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        await using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 1);
        return await ReadAsync(stream, maxChars, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// As <see cref="ReadAsync(string, int, CancellationToken)"/>, for a file the daemon reads on its own (the specs dir):
    /// only a regular file, after its links, is opened. Opening a fifo for reading waits for a writer, so one named like a
    /// spec held the scan, and with it the node's start and every later change, for good; a device is no spec either.
    /// Anything else is an <see cref="IOException"/> naming the path, which the caller treats as an unreadable file. The
    /// open itself does not wait either (<see cref="RegularFile.TryOpenForRead"/>): a file swapped for a fifo between the
    /// check and the open is refused the same way. A file reached through a symbolic link that is neither root's nor the
    /// file's owner's is refused too (<see cref="LinkOwners"/>): the owner of a linked checkout could otherwise have root
    /// read <c>/etc/shadow</c> into a spec's errors.
    /// </summary>
    public static async Task<string> ReadRegularFileAsync(string path, int maxChars, CancellationToken cancellationToken)
    {
        var target = new FileInfo(path).LinkTarget is null ? path : File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        if (FileKind.Of(target) is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
        {
            throw NotRegular(path);
        }

        var handle = RegularFile.TryOpenForRead(path) ?? throw NotRegular(path);
        try
        {
            LinkOwners.Check(path, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        await using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 1);
        return await ReadAsync(stream, maxChars, cancellationToken).ConfigureAwait(false);
    }

    private static IOException NotRegular(string path) => new($"{path} is not a regular file (a fifo, device, socket or folder), so it is not opened");

    /// <summary>The text of <paramref name="stream"/> (standard input), bounded the same way.</summary>
    public static async Task<string> ReadAsync(Stream stream, int maxChars, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);

        // A UTF-16 character takes at most 3 bytes (4 for a pair), an invalid byte 1 character: this many bytes always
        // decode to more than maxChars characters, so whatever a cut at the end leaves is past the limit.
        var maxBytes = (int)Math.Min(int.MaxValue - 64, 3L * maxChars + 8);
        using var bytes = new MemoryStream();
        var chunk = new byte[Math.Min(maxBytes, 64 * 1024)];
        int read;
        while (bytes.Length < maxBytes && (read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, maxBytes - bytes.Length)), cancellationToken).ConfigureAwait(false)) > 0)
        {
            bytes.Write(chunk, 0, read);
        }

        var text = Utf8Text.Decode(bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
        return text.Length > maxChars + 1 ? text[..(maxChars + 1)] : text;
    }

    public static string Read(string path, int maxChars) => ReadAsync(path, maxChars, CancellationToken.None).GetAwaiter().GetResult();
}
