namespace GradientNode.Proxy.Metrics;

/// <summary>
/// p50 and p99 of the durations recorded in the last minute: one <see cref="DurationQuantiles"/> histogram per
/// 10-second slot, six slots reused in place (a slot is cleared when its interval comes round again), merged when the
/// traffic file is written. A record takes a short lock and increments one counter: no allocation per request.
/// Memory: 6 × <see cref="DurationQuantiles.Count"/> ints (≈ 5.6 KB) per series that keeps one (a deployment's
/// forwarded requests).
/// </summary>
internal sealed class DurationQuantileWindow
{
    public const int SlotSeconds = 10;

    public const int Slots = 6;

    private readonly int[] _counts = new int[Slots * DurationQuantiles.Count];
    private readonly long[] _interval = new long[Slots];
    private readonly Lock _gate = new();

    public DurationQuantileWindow() => Array.Fill(_interval, long.MinValue);

    /// <summary>Counts one duration that ended at <paramref name="second"/> (the caller's monotonic clock, in seconds).</summary>
    public void Add(long second, long durationTicks)
    {
        var interval = second / SlotSeconds;
        var slot = (int)((ulong)interval % Slots);
        var bucket = DurationQuantiles.IndexOf(durationTicks);
        lock (_gate)
        {
            if (_interval[slot] != interval)
            {
                _interval[slot] = interval;
                Array.Clear(_counts, slot * DurationQuantiles.Count, DurationQuantiles.Count);
            }

            _counts[(slot * DurationQuantiles.Count) + bucket]++;
        }
    }

    /// <summary>p50 and p99 (seconds) over the slots of the last minute that ends with <paramref name="now"/>: the current 10 s and the five before (50–60 s); null when none.</summary>
    public (double? P50, double? P99) Quantiles(long now)
    {
        Span<int> merged = stackalloc int[DurationQuantiles.Count];
        var current = now / SlotSeconds;
        lock (_gate)
        {
            for (var slot = 0; slot < Slots; slot++)
            {
                var interval = _interval[slot];
                if (interval > current - Slots && interval <= current)
                {
                    var counts = _counts.AsSpan(slot * DurationQuantiles.Count, DurationQuantiles.Count);
                    for (var i = 0; i < merged.Length; i++)
                    {
                        merged[i] += counts[i];
                    }
                }
            }
        }

        return (DurationQuantiles.Quantile(merged, 0.5), DurationQuantiles.Quantile(merged, 0.99));
    }
}
