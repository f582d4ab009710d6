using System.Globalization;

namespace GradientNode.Daemon.Cli;

/// <summary>
/// Sizes as the client verbs print them for people: <c>512 bytes</c>, <c>1.5 KiB</c>, <c>12.6 GiB</c> (powers of 1024,
/// one decimal below 100, as <c>ls -h</c> reads). <c>-o json</c> and the API keep the exact byte counts.
/// </summary>
internal static class SizeText
{
    private static readonly string[] Units = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

    public static string Of(long bytes)
    {
        if (bytes is > -1024 and < 1024)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes} {(bytes is 1 or -1 ? "byte" : "bytes")}");
        }

        var value = Math.Abs((double)bytes);
        var unit = -1;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        var rounded = value < 100 ? Math.Round(value, 1) : Math.Round(value);
        if (rounded >= 1024 && unit < Units.Length - 1)
        {
            rounded = 1;
            unit++;
        }

        var sign = bytes < 0 ? "-" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{rounded:0.#} {Units[unit]}");
    }

    /// <summary><c>12.6 GiB, 4 files</c> (<c>1 file</c>).</summary>
    public static string WithFiles(long bytes, long files) =>
        string.Create(CultureInfo.InvariantCulture, $"{Of(bytes)}, {files} {(files == 1 ? "file" : "files")}");
}
