namespace GradientNode.Proxy.Metrics;

/// <summary>Fixed histogram upper bounds (seconds), wide enough for LLM responses streamed for minutes.</summary>
internal static class DurationBuckets
{
    public static readonly double[] BoundsSeconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private static readonly long[] BoundsTicks = [.. BoundsSeconds.Select(s => (long)(s * TimeSpan.TicksPerSecond))];

    /// <summary>Index of the bucket for a duration; <c>BoundsSeconds.Length</c> is +Inf.</summary>
    public static int IndexOf(long ticks)
    {
        var bounds = BoundsTicks;
        for (var i = 0; i < bounds.Length; i++)
        {
            if (ticks <= bounds[i])
            {
                return i;
            }
        }

        return bounds.Length;
    }
}
