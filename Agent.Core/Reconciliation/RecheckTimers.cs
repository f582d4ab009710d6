using GradientNode.Core.Common;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// The one pending recheck per deployment of <see cref="ReconcilerService"/>. Each pass that asked for a recheck used to
/// start a timer of its own, so every other trigger of an unsettled deployment (the resync, an event, a probe) started
/// one more chain of passes that never ended: a replica that could not start was created and removed once more every
/// 15 s, then twice, then three times. Now only the earliest requested recheck waits; the pass it runs asks for the next.
/// </summary>
internal sealed class RecheckTimers(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _due = new(StringComparer.Ordinal); // when: monotonic (a wall-clock step back let a later recheck replace a sooner one)

    /// <summary>Deployments with a recheck waiting (tests look at it).</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _due.Count;
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="due"/> with <paramref name="slug"/> after <paramref name="delay"/>, unless a recheck that comes
    /// no later is already waiting; a later one waiting is replaced.
    /// </summary>
    public void Schedule(string slug, TimeSpan delay, Action<string> due, CancellationToken stopping)
    {
        var at = time.After(delay);
        lock (_gate)
        {
            if (_due.TryGetValue(slug, out var waiting) && waiting <= at)
            {
                return;
            }

            _due[slug] = at;
        }

        _ = Task.Delay(delay, time, stopping).ContinueWith(
            task =>
            {
                lock (_gate)
                {
                    if (!_due.TryGetValue(slug, out var current) || current != at)
                    {
                        return;
                    }

                    _due.Remove(slug);
                }

                if (task.IsCompletedSuccessfully)
                {
                    due(slug);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
