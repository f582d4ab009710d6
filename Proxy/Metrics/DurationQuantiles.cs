namespace GradientNode.Proxy.Metrics;

/// <summary>
/// The fine, log-scale buckets behind the proxy's p50/p99 (pure math, unit-tested). A duration in whole microseconds
/// below 8 has a bucket of its own; above, each power of two is split into <see cref="SubBuckets"/> equal buckets, so a
/// bucket is at most 1/8 of its lower bound wide (a quantile read from it is within 12.5 %, usually ~6 %). Durations
/// from 2^31 µs (≈ 36 min) up share the last bucket. <see cref="Count"/> buckets in all.
/// </summary>
internal static class DurationQuantiles
{
    public const int SubBuckets = 8;

    private const int MaxExponent = 30;

    /// <summary>The number of buckets: 8 exact ones for 0–7 µs, then 8 per power of two from 2^3 to 2^30 µs.</summary>
    public const int Count = ((MaxExponent - 2) * SubBuckets) + SubBuckets;

    /// <summary>The bucket of a duration of <paramref name="ticks"/> (100 ns): a few shifts, no allocation.</summary>
    public static int IndexOf(long ticks)
    {
        var micros = Math.Clamp(ticks / TimeSpan.TicksPerMicrosecond, 0, (1L << (MaxExponent + 1)) - 1);
        if (micros < SubBuckets)
        {
            return (int)micros;
        }

        var exponent = 63 - (int)long.LeadingZeroCount(micros);
        return ((exponent - 2) * SubBuckets) + (int)((micros >> (exponent - 3)) & (SubBuckets - 1));
    }

    /// <summary>The smallest duration (µs) of bucket <paramref name="index"/>.</summary>
    public static long LowerMicros(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        var exponent = (index / SubBuckets) + 2;
        return (long)(SubBuckets + (index % SubBuckets)) << (exponent - 3);
    }

    /// <summary>The width (µs) of bucket <paramref name="index"/>.</summary>
    public static long WidthMicros(int index) => index < SubBuckets ? 1 : 1L << ((index / SubBuckets) - 1);

    /// <summary>
    /// The <paramref name="quantile"/> (0 &lt; q ≤ 1) of the durations counted in <paramref name="counts"/>, in seconds,
    /// interpolated inside the bucket that holds the rank; null when nothing was counted.
    /// </summary>
    public static double? Quantile(ReadOnlySpan<int> counts, double quantile)
    {
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }

        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long before = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            var here = counts[i];
            if (here > 0 && before + here >= rank)
            {
                var fraction = (rank - before - 0.5) / here;
                return (LowerMicros(i) + (WidthMicros(i) * fraction)) / 1_000_000d;
            }

            before += here;
        }

        return null;
    }
}
