namespace GradientNode.Core.Common;

/// <summary>
/// Points in time on the monotonic clock (<see cref="TimeProvider.GetTimestamp"/>), for what waits or retries: a step of
/// the wall clock (NTP, a VM resumed, an operator's <c>date -s</c>) never moves them. Wall time
/// (<see cref="TimeProvider.GetUtcNow"/>) is for what is shown or stored (docs/design/reconciler.md, "Clocks").
/// </summary>
internal static class MonotonicTime
{
    /// <summary>The timestamp <paramref name="span"/> from now.</summary>
    public static long After(this TimeProvider time, TimeSpan span)
    {
        ArgumentNullException.ThrowIfNull(time);
        return time.GetTimestamp() + (long)(span.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>How long until <paramref name="timestamp"/>: zero or less once it passed.</summary>
    public static TimeSpan Until(this TimeProvider time, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(time);
        return -time.GetElapsedTime(timestamp);
    }
}
