using System.Globalization;

namespace GradientNode.Core.Engine;

/// <summary>
/// Docker's RFC 3339 timestamps carry up to 9 fractional digits; .NET keeps 7 (100 ns ticks). Docker.DotNet keeps
/// some of them as strings (container state, log line prefixes) and parses others (<see cref="FromDateTime"/>).
/// </summary>
internal static class DockerTimestamps
{
    /// <summary>Parses an RFC3339Nano timestamp; null for empty, unparsable, or Go's zero time (<c>0001-01-01…</c>).</summary>
    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.StartsWith("0001-01-01", StringComparison.Ordinal))
        {
            return null;
        }

        var trimmed = TrimFraction(text.AsSpan());
        return DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;
    }

    /// <summary>A time the library parsed; null for Go's zero time (<c>0001-01-01…</c>, <see cref="DateTime.MinValue"/>).</summary>
    public static DateTimeOffset? FromDateTime(DateTime time) =>
        time.Year <= 1 ? null
            : new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime());

    /// <summary>Unix seconds as Docker's <c>since</c>/<c>until</c> query parameters take them (<c>seconds.nanoseconds</c>).</summary>
    public static string ToUnixQuery(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = ticks / TimeSpan.TicksPerSecond;
        var nanos = ticks % TimeSpan.TicksPerSecond * 100;
        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{nanos:D9}");
    }

    private static string TrimFraction(ReadOnlySpan<char> text)
    {
        var dot = text.IndexOf('.');
        if (dot < 0)
        {
            return text.ToString();
        }

        var end = dot + 1;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        var digits = Math.Min(end - dot - 1, 7);
        return digits == 0
            ? string.Concat(text[..dot], text[end..])
            : string.Concat(text[..(dot + 1 + digits)], text[end..]);
    }
}
