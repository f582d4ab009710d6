using Microsoft.Win32.SafeHandles;

namespace GradientNode.Core.Common;

/// <summary>
/// Copies a stream into a new file as <c>cp --sparse=always</c> does: a block of zeros is skipped (a hole), not written,
/// so an upload of a sparse file (a disk image) takes on disk only what it holds. The file reads the same either way.
/// </summary>
internal static class SparseCopy
{
    private const int Block = 64 * 1024;

    /// <summary>Copies <paramref name="source"/> to the end into <paramref name="output"/> (an empty file); returns the bytes copied.</summary>
    public static async Task<long> CopyAsync(Stream source, FileStream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        var buffer = new byte[Block];
        var length = 0L;
        while (true)
        {
            var filled = 0;
            int read;
            while (filled < Block && (read = await source.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += read;
            }

            if (filled == 0)
            {
                break;
            }

            if (buffer.AsSpan(0, filled).ContainsAnyExcept((byte)0))
            {
                output.Position = length;
                await output.WriteAsync(buffer.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
            }

            length += filled;
        }

        output.SetLength(length); // a hole at the end still counts in the length
        return length;
    }

    /// <summary>
    /// Copies the file <paramref name="source"/> into the new file <paramref name="target"/>, reading and writing its data
    /// regions only (<see cref="FileRegions"/>): its holes stay holes and are not even read. A dataset version may hold
    /// 1 TiB of holes (a job's <c>truncate -s 1T</c>), which a plain copy wrote out as zeros until the disk was full.
    /// Returns the file's length.
    /// </summary>
    public static async Task<long> CopyFileAsync(string source, string target, CancellationToken cancellationToken)
    {
        using var input = File.OpenHandle(source, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var output = File.OpenHandle(target, FileMode.CreateNew, FileAccess.Write);
        var length = RandomAccess.GetLength(input);
        var buffer = new byte[Block * 16];
        var offset = 0L;
        while (offset < length)
        {
            var (start, end) = FileRegions.NextData(input, offset, length);
            offset = await CopyRegionAsync(input, output, start, end, buffer, cancellationToken).ConfigureAwait(false);
        }

        RandomAccess.SetLength(output, length); // a hole at the end still counts in the length
        return length;
    }

    /// <summary>Copies [<paramref name="start"/>, <paramref name="end"/>) at the same offsets; returns where it stopped (<paramref name="end"/>, or a shorter file's end).</summary>
    private static async Task<long> CopyRegionAsync(SafeFileHandle input, SafeFileHandle output, long start, long end, byte[] buffer, CancellationToken cancellationToken)
    {
        var at = start;
        while (at < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = await RandomAccess.ReadAsync(input, buffer.AsMemory(0, (int)Math.Min(buffer.Length, end - at)), at, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return long.MaxValue; // the file ended early: nothing more to copy
            }

            await RandomAccess.WriteAsync(output, buffer.AsMemory(0, read), at, cancellationToken).ConfigureAwait(false);
            at += read;
        }

        return Math.Max(end, start + 1);
    }
}
