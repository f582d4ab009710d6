using GradientNode.Core.Engine;

namespace GradientNode.Daemon.Api;

/// <summary>
/// The containers of one followed run, listed at most once per <see cref="JobLogPoll.Interval"/> and shared by every job
/// of it that is polled (<see cref="JobLogPoll"/>): before, each polled job listed its own container every second, so a
/// run of 20 jobs made 20 list calls a second. While no job of the run runs, nothing is polled and nothing is listed.
/// A list that does not hold the job asked about (its container just created, or gone) is not trusted: one fresh list,
/// started after the question, answers it, so a job that has just started is never taken for one removed.
/// </summary>
internal sealed class RunContainerWatch(Func<CancellationToken, Task<IReadOnlyList<ContainerSummary>>> list, TimeProvider time, CancellationToken cancellationToken)
{
    private readonly Lock _gate = new();
    private Task<IReadOnlyList<ContainerSummary>>? _last;
    private long _lastStarted;

    /// <summary>Job <paramref name="job"/>'s newest container, as a list taken at most an interval ago has it; null when a fresh list has none.</summary>
    public async Task<ContainerSummary?> FindAsync(string job, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(job);
        var (shared, listedHere) = Current(fresh: false);
        if (Of(await shared.WaitAsync(cancellation).ConfigureAwait(false), job) is { } found)
        {
            return found;
        }

        // A list started before the question may predate the job's container: one started for it answers.
        if (!listedHere)
        {
            (shared, _) = Current(fresh: true);
            return Of(await shared.WaitAsync(cancellation).ConfigureAwait(false), job);
        }

        return null;
    }

    private (Task<IReadOnlyList<ContainerSummary>> List, bool Started) Current(bool fresh)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            var started = fresh || _last is null || _last.IsFaulted || _last.IsCanceled || time.GetElapsedTime(_lastStarted, now) >= JobLogPoll.Interval;
            if (started)
            {
                _last = list(cancellationToken);
                _lastStarted = now;
            }

            return (_last!, started);
        }
    }

    private static ContainerSummary? Of(IReadOnlyList<ContainerSummary> containers, string job) =>
        containers.Where(c => c.Labels.TryGetValue(ContainerLabels.Job, out var value) && value == job).OrderByDescending(c => c.Created).FirstOrDefault();
}
