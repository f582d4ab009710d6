namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Which replica indexes a deployment of <c>N</c> replicas keeps: the <c>N</c> first in one order, so that what runs is
/// never stopped only to be replaced by a new replica. First the indexes where a container runs (it may serve, and may
/// hold a GPU), then those below <c>N</c> where a container exists but does not run (its crash backoff and restart count
/// stay with it), then the free ones below <c>N</c>, then exited ones at <c>N</c> or above, then the free ones above;
/// lowest index first within each. With replicas at 0..N-1 this is 0..N-1, and a scale-down removes the highest indexes;
/// with replica 0 gone and 1 and 2 running, two replicas are 1 and 2, not a new 0 and 1. An exited container left above
/// the range by an earlier, larger count is not kept over a free index below it: it serves nothing, and a fresh replica
/// there resets a crash loop's backoff once at most (the new one, exited, is then kept at its index below <c>N</c>).
/// Pure; the planner (<see cref="ReconcilePlanner"/>), the status (<see cref="StatusBuilder"/>), the rollout tracker and
/// the node's replica bound (<see cref="ReplicaCap"/>) all ask it, so they agree on which replicas are the deployment's.
/// </summary>
public static class ReplicaSlots
{
    /// <summary>The <paramref name="count"/> indexes kept, ascending.</summary>
    public static IReadOnlyList<int> Kept(int count, IEnumerable<ObservedReplica> observed) =>
        [.. Ranked(count, observed).Take(Math.Max(count, 0)).Order()];

    /// <summary>
    /// The indexes a deployment asking for <paramref name="asked"/> replicas does not get when <paramref name="admitted"/>
    /// are admitted, ascending: the last in the order, never one that runs while a lower-ranked index is kept.
    /// </summary>
    public static IReadOnlyList<int> Refused(int asked, int admitted, IEnumerable<ObservedReplica> observed) =>
        [.. Ranked(asked, observed).Take(Math.Max(asked, 0)).Skip(Math.Max(admitted, 0)).Order()];

    /// <summary>
    /// Every index ≥ 0 in the order they are kept for a deployment of <paramref name="count"/> (an endless sequence: the
    /// free indexes never run out).
    /// </summary>
    private static IEnumerable<int> Ranked(int count, IEnumerable<ObservedReplica> observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        var present = observed.Where(r => r.Index >= 0).ToList();
        var running = present.Where(r => r.Running).Select(r => r.Index).Distinct().Order().ToList();
        var stopped = present.Select(r => r.Index).Distinct().Except(running).Order().ToList();
        var taken = running.Concat(stopped).ToHashSet();
        var free = Enumerable.Range(0, Math.Max(count, 0)).Where(index => !taken.Contains(index));
        foreach (var index in running.Concat(stopped.Where(i => i < count)).Concat(free).Concat(stopped.Where(i => i >= count)))
        {
            yield return index;
        }

        for (var index = Math.Max(count, 0); ; index++)
        {
            if (!taken.Contains(index))
            {
                yield return index;
            }
        }
    }
}
