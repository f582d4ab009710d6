using GradientNode.Core.Traffic;

namespace GradientNode.Proxy.Metrics;

/// <summary>
/// Counters of one series (a deployment's forwarded or local requests, or one replica): requests by status
/// class, in-flight, a duration histogram and 1 m / 5 m sliding averages. Lock-free except the window rings.
/// With <c>quantiles</c> it also keeps a <see cref="DurationQuantileWindow"/> for the last minute's p50/p99.
/// </summary>
internal sealed class RequestMetrics
{
    private readonly TimeProvider _time;
    private readonly ActivitySignal? _activity;
    private readonly long[] _classes = new long[5];
    private readonly long[] _buckets = new long[DurationBuckets.BoundsSeconds.Length + 1];
    private readonly SlidingWindow _window = new();
    private readonly DurationQuantileWindow? _quantiles;
    private long _inFlight;
    private long _requests;
    private long _sumTicks;
    private RotationOut? _out;

    public RequestMetrics(TimeProvider time, bool quantiles = false, ActivitySignal? activity = null)
    {
        _time = time;
        _quantiles = quantiles ? new DurationQuantileWindow() : null;
        _activity = activity;
    }

    public long InFlight => Volatile.Read(ref _inFlight);

    /// <summary>A replica's: out of rotation for a failed connect (<see cref="TakenOut"/>) and not reached since; null otherwise.</summary>
    public RotationOut? OutOfRotation => Volatile.Read(ref _out);

    /// <summary>
    /// A replica's failed connect took it out of rotation at <paramref name="now"/> for <paramref name="cooldown"/>; the
    /// time it first went out stays while no request reaches it (each retry after a cooldown that fails again).
    /// </summary>
    public void TakenOut(DateTimeOffset now, TimeSpan cooldown, string reason)
    {
        var was = Volatile.Read(ref _out);
        Volatile.Write(ref _out, new RotationOut(was?.Since ?? now, now + cooldown, reason));
        _activity?.Raise();
    }

    /// <summary>A request reached the replica (it answered, or at least accepted the connection): in rotation.</summary>
    public void Reached()
    {
        if (Volatile.Read(ref _out) is not null)
        {
            Volatile.Write(ref _out, null);
            _activity?.Raise();
        }
    }

    /// <summary>Counts a request in flight, then wakes a traffic writer at rest (after: the writer's snapshot or the wake sees it).</summary>
    public void Enter()
    {
        Interlocked.Increment(ref _inFlight);
        _activity?.Raise();
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Records a completed request that started at <paramref name="startTimestamp"/> (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public void Record(int statusCode, long startTimestamp)
    {
        var end = _time.GetTimestamp();
        Record(statusCode, _time.GetElapsedTime(startTimestamp, end), end);
    }

    public void Record(int statusCode, TimeSpan duration, long endTimestamp)
    {
        var ticks = Math.Max(0, duration.Ticks);
        var statusClass = Math.Clamp(statusCode / 100, 1, 5) - 1;
        Interlocked.Increment(ref _classes[statusClass]);
        Interlocked.Increment(ref _buckets[DurationBuckets.IndexOf(ticks)]);
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _sumTicks, ticks);
        var second = Second(endTimestamp);
        _window.Add(second, ticks);
        _quantiles?.Add(second, ticks);
    }

    public TrafficCounters Snapshot()
    {
        var now = Second(_time.GetTimestamp());
        var (count1, sum1) = _window.Sum(now, 60);
        var (count5, sum5) = _window.Sum(now, 300);
        var (count10, sum10) = _window.Sum(now, 10);
        var buckets = new long[_buckets.Length];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = Volatile.Read(ref _buckets[i]);
        }

        var (p50, p99) = _quantiles?.Quantiles(now) ?? (null, null);

        return new TrafficCounters(
            Requests: Volatile.Read(ref _requests),
            Status1xx: Volatile.Read(ref _classes[0]),
            Status2xx: Volatile.Read(ref _classes[1]),
            Status3xx: Volatile.Read(ref _classes[2]),
            Status4xx: Volatile.Read(ref _classes[3]),
            Status5xx: Volatile.Read(ref _classes[4]),
            InFlight: Math.Max(0, InFlight),
            DurationSumSeconds: (double)Volatile.Read(ref _sumTicks) / TimeSpan.TicksPerSecond,
            DurationBuckets: buckets,
            Requests1m: count1,
            Requests5m: count5,
            AverageDurationSeconds1m: Average(count1, sum1),
            AverageDurationSeconds5m: Average(count5, sum5))
        {
            Requests10s = count10,
            AverageDurationSeconds10s = Average(count10, sum10),
            P50DurationSeconds1m = p50,
            P99DurationSeconds1m = p99,
        };
    }

    private long Second(long timestamp) => timestamp / _time.TimestampFrequency;

    private static double? Average(long count, long sumTicks) =>
        count == 0 ? null : (double)sumTicks / count / TimeSpan.TicksPerSecond;
}
