using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace GradientNode.Core.Engine;

/// <summary>
/// Reads <c>GET /containers/{id}/logs</c>. Without a TTY the engine multiplexes stdout and stderr in frames:
/// an 8-byte header <c>[stream, 0, 0, 0, size (uint32 big-endian)]</c> then <c>size</c> bytes; with a TTY the
/// body is the raw terminal output (all stdout). A first header that does not look like one is read as raw.
/// </summary>
internal static class DockerLogDemuxer
{
    private const int HeaderSize = 8;

    public static async IAsyncEnumerable<LogLine> ReadAsync(
        Stream body,
        bool multiplexed,
        bool timestamps,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stdout = new LogLineSplitter(LogStream.Stdout, timestamps);
        var stderr = new LogLineSplitter(LogStream.Stderr, timestamps);
        var buffer = new byte[16 * 1024];
        var header = new byte[HeaderSize];
        var first = true;

        while (multiplexed)
        {
            var got = await body.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (first && got > 0 && !IsHeader(header.AsSpan(0, got)))
            {
                // Not framed after all (a TTY container): what we read is log text.
                foreach (var line in stdout.Push(header.AsSpan(0, got)))
                {
                    yield return line;
                }

                multiplexed = false;
                break;
            }

            first = false;
            if (got < HeaderSize)
            {
                break;
            }

            var splitter = header[0] == 2 ? stderr : stdout;
            long remaining = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            while (remaining > 0)
            {
                var read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(remaining, buffer.Length)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    remaining = -1;
                    break;
                }

                remaining -= read;
                foreach (var line in splitter.Push(buffer.AsSpan(0, read)))
                {
                    yield return line;
                }
            }

            if (remaining < 0)
            {
                break;
            }
        }

        while (!multiplexed)
        {
            var read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            foreach (var line in stdout.Push(buffer.AsSpan(0, read)))
            {
                yield return line;
            }
        }

        if (stdout.Flush() is { } lastOut)
        {
            yield return lastOut;
        }

        if (stderr.Flush() is { } lastErr)
        {
            yield return lastErr;
        }
    }

    private static bool IsHeader(ReadOnlySpan<byte> header) =>
        header.Length == HeaderSize && header[0] <= 2 && header[1] == 0 && header[2] == 0 && header[3] == 0;
}
