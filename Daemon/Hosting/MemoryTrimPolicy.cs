namespace GradientNode.Daemon.Hosting;

/// <summary>
/// When to give memory back (pure): after a burst of work — at least <see cref="WorkBytes"/> allocated since the last
/// trim — once a whole tick allocated less than <see cref="QuietBytes"/>. A busy process (a proxy under load, a rollout in
/// progress) is never trimmed; an idle one that has not worked since its last trim is not trimmed again.
/// </summary>
internal sealed class MemoryTrimPolicy(long workBytes, long quietBytes)
{
    private long? _lastTotal;
    private long _sinceTrim;

    public long WorkBytes { get; } = workBytes;

    public long QuietBytes { get; } = quietBytes;

    /// <summary>Takes the process's total allocated bytes at a tick; true when this tick should trim.</summary>
    public bool Tick(long allocatedTotal)
    {
        if (_lastTotal is not { } last)
        {
            _lastTotal = allocatedTotal;
            _sinceTrim = allocatedTotal;
            return false;
        }

        var delta = Math.Max(0, allocatedTotal - last);
        _lastTotal = allocatedTotal;
        _sinceTrim += delta;
        if (delta >= QuietBytes || _sinceTrim < WorkBytes)
        {
            return false;
        }

        _sinceTrim = 0;
        return true;
    }
}
