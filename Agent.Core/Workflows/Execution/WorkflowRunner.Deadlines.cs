using System.Globalization;
using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// A run's and its jobs' timeouts on the monotonic clock. The wall clock is read once, for what passed before this
/// process (a run or job a restarted daemon continues: its start is stored as wall time); from then on only
/// <see cref="TimeProvider.GetTimestamp"/> counts. Before, every check compared stored start times with the wall clock, so
/// a step forward stopped running jobs at once as "timed out" and a step back let them run on for as long.
/// </summary>
public sealed partial class WorkflowRunner
{
    /// <summary>What of the run had passed when <see cref="_runFrom"/> was taken (wall time once, for a run started by an earlier daemon).</summary>
    private TimeSpan _runBefore = initial.Status.Started is { } started ? Positive(time.GetUtcNow() - started) : TimeSpan.Zero;
    private long _runFrom = time.GetTimestamp();

    /// <summary>The run starts now (its record's <c>started</c> is set): its timeout counts from here.</summary>
    private void RunStartsNow()
    {
        _runBefore = TimeSpan.Zero;
        _runFrom = time.GetTimestamp();
    }

    /// <summary>The earlier of the job's own timeout and the run's, from when each started; null for the run's alone when <paramref name="job"/> is null.</summary>
    private JobDeadline? Deadline(RunRecord record, JobPlan? job)
    {
        var from = time.GetTimestamp();
        var runRan = _runBefore + time.GetElapsedTime(_runFrom);
        JobDeadline? runDeadline = record.Plan.TimeoutSeconds is { } r
            ? new JobDeadline(TimeSpan.FromSeconds(r) - runRan, from, $"timed out: the run's timeout of {r.ToString(CultureInfo.InvariantCulture)} s passed and the job was stopped")
            : null;
        if (job?.TimeoutSeconds is not { } j)
        {
            return runDeadline;
        }

        // A job is given its deadline as it starts (it ran 0 s); only a job adopted after a restart ran before, by wall time.
        var jobRan = record.Status.Jobs.TryGetValue(job.Id, out var s) && s.Started is { } started ? Positive(time.GetUtcNow() - started) : TimeSpan.Zero;
        var own = new JobDeadline(TimeSpan.FromSeconds(j) - jobRan, from, $"timed out: the job ran longer than its timeout of {j.ToString(CultureInfo.InvariantCulture)} s and was stopped");
        return runDeadline is null || own.Left <= runDeadline.Left ? own : runDeadline;
    }

    private static TimeSpan Positive(TimeSpan span) => span < TimeSpan.Zero ? TimeSpan.Zero : span;
}
