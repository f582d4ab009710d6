using System.Globalization;

namespace GradientNode.Daemon.Api;

/// <summary>
/// The time before each line of a logs answer asked with <c>timestamps=true</c>: the engine's time of the line, UTC to
/// 100 ns, fixed width, then a space. <c>logs -t</c> prints it; <c>logs -f</c> resumes a cut stream from it.
/// </summary>
internal static class LogTimestamp
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>The characters of a formatted time (the space after it not counted).</summary>
    public const int Width = 28;

    public static string Of(DateTimeOffset at) => at.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Reads the time at the start of <paramref name="line"/>, when it starts with one and a space.</summary>
    public static bool TryParse(string line, out DateTimeOffset at)
    {
        at = default;
        return line.Length > Width && line[Width] == ' '
            && DateTimeOffset.TryParseExact(line.AsSpan(0, Width), Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);
    }
}
