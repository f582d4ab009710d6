using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using GradientNode.Core.Engine;
using GradientNode.Core.Secrets;
using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// Keeps a job's log in its file once the container goes: the first lines up to <c>headBytes</c> as they come, and the
/// last <c>tailBytes</c> (from the start of a line) in a bounded ring written at the end, with one marker line between
/// that says how many bytes were dropped. A long training job's end (its last loss, its error) is kept however long
/// it ran, and memory stays at most <c>tailBytes</c> (plus the line being read). A first line longer than the head keeps
/// its first <c>headBytes</c> (to a character's start): the log starts with what the job printed first, not with the
/// marker; the rest of that line follows it unchanged when nothing is dropped. Defaults: <see cref="RunLimits"/>.
/// </summary>
public sealed class JobLogKeeper
{
    private readonly int _headBytes;
    private readonly int _tailBytes;

    public JobLogKeeper(int headBytes, int tailBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(headBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tailBytes);
        _headBytes = headBytes;
        _tailBytes = tailBytes;
    }

    /// <summary>The node's limits: the first 1 MiB and the last 7 MiB.</summary>
    public static JobLogKeeper Default { get; } = new(RunLimits.LogHeadBytes, RunLimits.LogTailBytes);

    /// <summary>
    /// Copies <paramref name="lines"/> to <paramref name="file"/> (UTF-8, one <c>\n</c> after each, the job's secrets masked); returns the bytes
    /// dropped (0 when all fit). When the engine's stream breaks (<see cref="EngineException"/>), what was read is still
    /// written, and the exception is thrown after.
    /// </summary>
    public async Task<long> KeepAsync(IAsyncEnumerable<LogLine> lines, Stream file, LogMask mask, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(mask);
        long head = 0;
        var headEndsMidLine = false;
        var tail = new JobLogTail(_tailBytes + 1); // one byte more: the byte before the kept last bytes, to tell whether they start a line
        ExceptionDispatchInfo? broken = null;
        try
        {
            await foreach (var line in lines.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var bytes = Encoding.UTF8.GetBytes(mask.Apply(line.Text) + "\n");
                if (tail.Written == 0 && head + bytes.Length <= _headBytes)
                {
                    await file.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                    head += bytes.Length;
                }
                else if (head == 0 && tail.Written == 0 && CharStart(bytes, _headBytes) is > 0 and var cut)
                {
                    // The first line alone is longer than the head: its beginning is the head, its rest the tail's start.
                    await file.WriteAsync(bytes.AsMemory(0, cut), cancellationToken).ConfigureAwait(false);
                    head = cut;
                    headEndsMidLine = true;
                    tail.Write(bytes.AsSpan(cut));
                }
                else
                {
                    tail.Write(bytes);
                }
            }
        }
        catch (EngineException ex)
        {
            broken = ExceptionDispatchInfo.Capture(ex);
        }

        var kept = tail.Kept();
        var start = tail.Written > _tailBytes ? LineStart(kept) : 0;
        var dropped = tail.Written - (kept.Length - start);
        if (dropped > 0)
        {
            var marker = (headEndsMidLine ? "\n" : string.Empty) + Marker(dropped) + "\n";
            await file.WriteAsync(Encoding.UTF8.GetBytes(marker), cancellationToken).ConfigureAwait(false);
        }

        await file.WriteAsync(kept.AsMemory(start), cancellationToken).ConfigureAwait(false);
        await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        broken?.Throw();
        return dropped;
    }

    /// <summary>The line between the head and the tail of a cut log.</summary>
    public string Marker(long dropped) => string.Create(
        CultureInfo.InvariantCulture,
        $"[log cut: {dropped} bytes dropped here; the node keeps the first {Size(_headBytes)} and the last {Size(_tailBytes)} of a job's log]");

    /// <summary>
    /// Where the kept bytes start a line: <paramref name="ring"/> is the last <c>tailBytes</c> bytes with the one before
    /// them first; they start after the first line break (or, in one line longer than the tail, at a character's start).
    /// </summary>
    private static int LineStart(byte[] ring)
    {
        var newline = Array.IndexOf(ring, (byte)'\n');
        if (newline >= 0 && newline < ring.Length - 1)
        {
            return newline + 1;
        }

        var start = 1;
        while (start < ring.Length && (ring[start] & 0xC0) == 0x80)
        {
            start++; // a UTF-8 continuation byte: not a character's start
        }

        return start;
    }

    /// <summary>The largest cut at most <paramref name="limit"/> into <paramref name="bytes"/> that falls on a UTF-8 character's start (0 when none).</summary>
    private static int CharStart(byte[] bytes, int limit)
    {
        var cut = Math.Min(limit, bytes.Length);
        while (cut > 0 && cut < bytes.Length && (bytes[cut] & 0xC0) == 0x80)
        {
            cut--;
        }

        return cut;
    }

    private static string Size(int bytes) => bytes % (1024 * 1024) == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
}
