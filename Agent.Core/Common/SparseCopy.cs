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
}
