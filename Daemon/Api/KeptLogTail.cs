using System.Text;

namespace GradientNode.Daemon.Api;

/// <summary>
/// The last lines of a job's kept log (<c>GET /v1/workflows/{name}/runs/{run}/logs?tail=N</c>), read from the file's end
/// a buffer at a time: keeping 100 lines of an 8 MiB log reads the bytes of those lines (and at most one buffer more),
/// not the whole file. Lines end at <c>\n</c> only, as <see cref="WorkflowLogsEndpoint.KeptLines"/> splits them (a
/// progress bar's <c>\r</c> stays in its line); a last line without its <c>\n</c> is a line.
/// </summary>
internal static class KeptLogTail
{
    /// <summary>The bytes read at a time from the end.</summary>
    internal const int BufferBytes = 64 * 1024;

    /// <summary>The last <paramref name="count"/> lines of <paramref name="path"/> (all of them when it has fewer), oldest first.</summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(string path, int count, CancellationToken cancellationToken, int bufferBytes = BufferBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferBytes);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.Asynchronous);
        return await ReadAsync(file, count, cancellationToken, bufferBytes);
    }

    /// <summary>The last <paramref name="count"/> lines of a seekable <paramref name="file"/>, read from its end.</summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(Stream file, int count, CancellationToken cancellationToken, int bufferBytes = BufferBytes)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferBytes);
        var length = file.Length;
        if (count == 0 || length == 0)
        {
            return [];
        }

        var start = await StartOfLastLinesAsync(file, length, count, bufferBytes, cancellationToken);
        var bytes = new byte[length - start];
        file.Position = start;
        await file.ReadExactlyAsync(bytes, cancellationToken);
        return WorkflowLogsEndpoint.KeptLines(Encoding.UTF8.GetString(bytes)).ToList();
    }

    /// <summary>
    /// Where the last <paramref name="count"/> lines begin: just after the <paramref name="count"/>th <c>\n</c> before the
    /// end (a final <c>\n</c> ends the last line and is not counted), or 0 when there are not that many.
    /// </summary>
    private static async Task<long> StartOfLastLinesAsync(Stream file, long length, int count, int bufferBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Min(bufferBytes, length)];
        var end = length;
        var found = 0;
        var skipFinal = true;
        while (end > 0)
        {
            var size = (int)Math.Min(buffer.Length, end);
            var from = end - size;
            file.Position = from;
            await file.ReadExactlyAsync(buffer.AsMemory(0, size), cancellationToken);
            for (var i = size - 1; i >= 0; i--)
            {
                if (buffer[i] != (byte)'\n')
                {
                    skipFinal = false;
                    continue;
                }

                if (skipFinal)
                {
                    // The log's own last newline: it ends the last line, it does not start one.
                    skipFinal = false;
                    continue;
                }

                if (++found == count)
                {
                    return from + i + 1;
                }
            }

            end = from;
        }

        return 0;
    }
}
