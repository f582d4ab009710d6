using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Autoscaling;

/// <summary>
/// The autoscaler's windows (scale-down stabilization, scale-up period, usage averages) hold wall-clock times, as its
/// events are shown and kept in <c>autoscale.json</c>. When the wall clock steps (NTP, a VM resumed, <c>date -s</c>), they
/// are moved by the step, found by comparing how far the wall clock and the monotonic clock moved since the last
/// evaluation. Before, a step back of an hour put every recommendation "in the future", inside the window for an hour, so
/// a deployment stayed scaled up for an hour after its load stopped; a step forward emptied the window at once.
/// </summary>
public sealed partial class AutoscalerService
{
    /// <summary>A difference of the two clocks below this is drift between two reads, not a step.</summary>
    internal static readonly TimeSpan StepTolerance = TimeSpan.FromSeconds(1);

    private (DateTimeOffset Wall, long Timestamp)? _lastLook;

    /// <summary>Moves the windows' times by the wall clock's step since the last evaluation, if it stepped.</summary>
    private void FollowClockStep(DateTimeOffset now)
    {
        var last = _lastLook;
        _lastLook = (now, time.GetTimestamp());
        if (last is not { } before)
        {
            return;
        }

        var step = (now - before.Wall) - time.GetElapsedTime(before.Timestamp);
        if (step.Duration() < StepTolerance)
        {
            return;
        }

        LogClockStepped(step.TotalSeconds);
        foreach (var slug in store.Slugs)
        {
            if (store.Get(slug) is { } state)
            {
                store.Set(slug, state with
                {
                    History = [.. state.History.Select(h => h with { At = h.At + step })],
                    Events = [.. state.Events.Select(e => e with { At = e.At + step })],
                    EvaluatedAt = state.EvaluatedAt + step,
                });
            }
        }

        foreach (var (cpu, memory) in _usage.Values)
        {
            cpu.Shift(step);
            memory.Shift(step);
        }
    }

    [LoggerMessage(EventId = 1904, Level = LogLevel.Warning, Message = "the wall clock stepped by {Seconds} s since the last evaluation; the autoscaler's windows and events were moved with it")]
    private partial void LogClockStepped(double seconds);
}
