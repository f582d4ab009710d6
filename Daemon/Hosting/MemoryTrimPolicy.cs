namespace GradientNode.Daemon.Hosting;

/// <summary>
/// When to give memory back (pure): once the working set has grown by <see cref="GrowthBytes"/> over its lowest point since
/// the last trim (a burst of work: 50 deployments starting grow it by ~50 MB), after <see cref="QuietTicks"/> ticks in a row
/// that each allocated less than <see cref="QuietBytes"/> (the burst is over, and so is the re-compiling of its hot code
/// that follows it). A busy process (a proxy under load, a rollout in progress) is not trimmed;
/// a process whose working set has not grown is not trimmed again, however long it idles or however steady its traffic.
/// </summary>
internal sealed class MemoryTrimPolicy(long growthBytes, long quietBytes, int quietTicks)
{
    private long? _lastAllocated;
    private long _lowestWorkingSet = long.MaxValue;
    private int _quiet;

    public long GrowthBytes { get; } = growthBytes;

    public long QuietBytes { get; } = quietBytes;

    public int QuietTicks { get; } = quietTicks;

    /// <summary>Takes the process's total allocated bytes and its working set at a tick; true when this tick should trim.</summary>
    public bool Tick(long allocatedTotal, long workingSet)
    {
        _lowestWorkingSet = Math.Min(_lowestWorkingSet, workingSet);
        var delta = _lastAllocated is { } last ? allocatedTotal - last : long.MaxValue;
        _lastAllocated = allocatedTotal;
        _quiet = delta < QuietBytes ? _quiet + 1 : 0;
        return _quiet >= QuietTicks && workingSet - _lowestWorkingSet >= GrowthBytes;
    }

    /// <summary>After a trim: growth is measured from here on (a trim that gave nothing back is not repeated).</summary>
    public void Trimmed(long workingSet) => _lowestWorkingSet = workingSet;
}
