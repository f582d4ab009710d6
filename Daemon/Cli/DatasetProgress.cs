using System.Globalization;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// The progress bar of <c>datasets upload</c> and <c>download</c>: one line on stderr, redrawn at most ten times a second
/// (<c>upload  [#########           ]  45%  12.0 MiB / 26.7 MiB</c>), then left in place. Shown only when stdout is a
/// terminal (<see cref="ForConsole"/> is null otherwise), so scripts and pipes see only the result.
/// </summary>
internal sealed class DatasetProgress(TextWriter output, TimeProvider time)
{
    private const int Width = 30;

    public static DatasetProgress? ForConsole() => Console.IsOutputRedirected ? null : new DatasetProgress(Console.Error, TimeProvider.System);

    /// <summary>Counts what passes through <paramref name="stream"/> against <paramref name="total"/> bytes (an estimate; capped at 100%).</summary>
    public Stream Track(Stream stream, string label, long total)
    {
        var done = 0L;
        var started = time.GetTimestamp();
        TimeSpan? lastDraw = null;
        return new CountingStream(stream, n =>
        {
            done += n;
            var elapsed = time.GetElapsedTime(started);
            if (lastDraw is null || elapsed - lastDraw >= TimeSpan.FromMilliseconds(100))
            {
                lastDraw = elapsed;
                Draw(label, done, total);
            }
        });
    }

    public void Finish(string label, long bytes)
    {
        Draw(label, bytes, bytes);
        output.WriteLine();
    }

    /// <summary>The bar's text for <paramref name="done"/> of <paramref name="total"/> bytes.</summary>
    public static string Line(string label, long done, long total)
    {
        var fraction = total <= 0 ? 1 : Math.Clamp((double)done / total, 0, 1);
        var filled = (int)Math.Round(fraction * Width);
        return string.Create(CultureInfo.InvariantCulture, $"{label}  [{new string('#', filled)}{new string(' ', Width - filled)}] {fraction * 100,3:0}%  {Mib(done)} / {Mib(Math.Max(done, total))}");
    }

    private void Draw(string label, long done, long total) => output.Write("\r" + Line(label, done, total));

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MiB");
}
