namespace GradientNode.Core.Reconciliation;

/// <summary>
/// The crash counters of each replica slot (deployment and index) as last seen, so that a slot whose container vanished
/// (<c>docker rm -f</c> behind the node's back, a prune, a create that failed after its exited predecessor was removed)
/// gets its next container as a restart of that slot: <c>gradient.restarts</c> carries on from the one it replaces.
/// Before, the counters lived only in the removed container's labels and the slot started again at 0 restarts.
/// Only a container of the version being created counts (a new spec version starts at 0, as always); a slot the
/// deployment no longer keeps (scaled down, disabled, removed) is forgotten, so a later scale-up starts it afresh.
/// In memory: a container removed while the daemon is down is not known, and its slot starts again at 0. Thread-safe.
/// </summary>
internal sealed class SlotCounters
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<int, ObservedReplica>> _slots = new(StringComparer.Ordinal);

    /// <summary>
    /// Keeps, for each index in <paramref name="kept"/>, the newest container of <paramref name="hash"/> observed there
    /// (an index with none keeps what was seen before), and forgets the indexes not kept.
    /// </summary>
    public void Remember(string slug, string hash, IReadOnlyCollection<int> kept, IReadOnlyList<ObservedReplica> observed)
    {
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentNullException.ThrowIfNull(observed);
        lock (_gate)
        {
            if (!_slots.TryGetValue(slug, out var slots))
            {
                slots = [];
            }

            foreach (var index in slots.Keys.Where(index => !kept.Contains(index)).ToList())
            {
                slots.Remove(index);
            }

            foreach (var index in kept)
            {
                if (observed.Where(r => r.Index == index && r.SpecHash == hash).MaxBy(r => r.Created) is { } latest)
                {
                    slots[index] = latest;
                }
            }

            if (slots.Count == 0)
            {
                _slots.Remove(slug);
            }
            else
            {
                _slots[slug] = slots;
            }
        }
    }

    /// <summary>
    /// <paramref name="plan"/> with each create of a fresh replica at an index that has no container of
    /// <paramref name="hash"/> but had one (remembered) given that one's counters, one restart more: a removed running
    /// replica keeps its consecutive-crash count (reset after a healthy run, as an exit's is) and has no exit code; a
    /// removed exited one counts as its exit would have.
    /// </summary>
    public ReconcilePlan Carry(string slug, string hash, ReconcilePlan plan, IReadOnlyList<ObservedReplica> observed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(observed);
        lock (_gate)
        {
            if (!_slots.TryGetValue(slug, out var slots))
            {
                return plan;
            }

            return plan with
            {
                Steps = [.. plan.Steps.Select(step => step is CreateReplica { Restarts: 0, Crashes: 0, LastExitCode: null } create
                    && !observed.Any(r => r.Index == create.Index && r.SpecHash == hash)
                    && slots.TryGetValue(create.Index, out var gone) && gone.SpecHash == hash
                        ? CarriedOn(create.Index, gone, now)
                        : step)],
            };
        }
    }

    public void Forget(string slug)
    {
        lock (_gate)
        {
            _slots.Remove(slug);
        }
    }

    private static CreateReplica CarriedOn(int index, ObservedReplica gone, DateTimeOffset now)
    {
        if (!gone.Running)
        {
            return new CreateReplica(index, gone.Restarts + 1, CrashBackoff.CrashesAfter(gone), gone.ExitCode);
        }

        var healthy = gone.StartedAt is { } started && now - started >= CrashBackoff.HealthyRun;
        return new CreateReplica(index, gone.Restarts + 1, healthy ? 0 : gone.Crashes);
    }
}
