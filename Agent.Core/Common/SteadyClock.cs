namespace GradientNode.Core.Common;

/// <summary>
/// A timeline for what waits, retries and schedules in the daemon's own memory: it reads the wall clock once, when made,
/// and from then on moves only with the monotonic clock (<see cref="TimeProvider.GetTimestamp"/>), so a step of the wall
/// clock (NTP, a VM resumed, <c>date -s</c>) never moves it. Its <see cref="Now"/> is never shown or stored: after a step it
/// differs from the wall clock by the step (docs/design/reconciler.md, "Clocks").
/// </summary>
internal sealed class SteadyClock
{
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _origin;
    private readonly long _from;

    public SteadyClock(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _origin = time.GetUtcNow();
        _from = time.GetTimestamp();
    }

    public DateTimeOffset Now => _origin + _time.GetElapsedTime(_from);
}
