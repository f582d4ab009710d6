using System.Buffers;
using System.Runtime.CompilerServices;
using Docker.DotNet;

namespace GradientNode.Core.Engine;

/// <summary>
/// Cuts a Docker.DotNet <see cref="MultiplexedStream"/> (logs, exec output; the library reads the 8-byte frame
/// headers, or none for a TTY) into lines per stream, keeping each stream's partial line across frames.
/// </summary>
internal static class MultiplexedLineReader
{
    private const int BufferSize = 16 * 1024;

    public static async IAsyncEnumerable<LogLine> ReadAsync(MultiplexedStream stream, bool timestamps, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var stdout = new LogLineSplitter(LogStream.Stdout, timestamps);
        var stderr = new LogLineSplitter(LogStream.Stderr, timestamps);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, BufferSize, cancellationToken).ConfigureAwait(false);
                if (read.EOF)
                {
                    break;
                }

                var splitter = read.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout;
                foreach (var line in splitter.Push(buffer.AsSpan(0, read.Count)))
                {
                    yield return line;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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
}
