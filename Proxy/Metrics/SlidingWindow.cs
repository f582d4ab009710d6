namespace GradientNode.Proxy.Metrics;

/// <summary>
/// Request count and duration sum per second for the last <see cref="Slots"/> seconds, in a ring that is
/// reused in place (no allocation per record). Seconds come from the caller's monotonic clock.
/// </summary>
internal sealed class SlidingWindow
{
    public const int Slots = 300;

    private readonly long[] _second = new long[Slots];
    private readonly long[] _count = new long[Slots];
    private readonly long[] _sumTicks = new long[Slots];
    private readonly Lock _gate = new();

    public SlidingWindow() => Array.Fill(_second, long.MinValue);

    public void Add(long second, long durationTicks)
    {
        var slot = (int)((ulong)second % Slots);
        lock (_gate)
        {
            if (_second[slot] != second)
            {
                _second[slot] = second;
                _count[slot] = 0;
                _sumTicks[slot] = 0;
            }

            _count[slot]++;
            _sumTicks[slot] += durationTicks;
        }
    }

    /// <summary>Totals over the <paramref name="seconds"/> seconds ending with <paramref name="now"/> (inclusive).</summary>
    public (long Count, long SumTicks) Sum(long now, int seconds)
    {
        long count = 0, sum = 0;
        var oldest = now - seconds;
        lock (_gate)
        {
            for (var i = 0; i < Slots; i++)
            {
                var second = _second[i];
                if (second > oldest && second <= now)
                {
                    count += _count[i];
                    sum += _sumTicks[i];
                }
            }
        }

        return (count, sum);
    }
}
