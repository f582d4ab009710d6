namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// When a running job is stopped and FAILED, and the sentence that says why (the job's own timeout or the run's):
/// <see cref="Left"/> from the monotonic timestamp <see cref="From"/> (<see cref="TimeProvider.GetTimestamp"/>), so that a
/// step of the wall clock (NTP, a VM resumed) neither stops a job at once nor lets it run on (docs/design/reconciler.md, "Clocks").
/// </summary>
public sealed record JobDeadline(TimeSpan Left, long From, string Message)
{
    /// <summary>How long until the deadline now; zero or less once it passed.</summary>
    public TimeSpan Remaining(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return Left - time.GetElapsedTime(From);
    }

    public bool Passed(TimeProvider time) => Remaining(time) <= TimeSpan.Zero;
}
