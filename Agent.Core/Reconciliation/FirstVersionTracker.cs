using System.Collections.Concurrent;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Remembers, per deployment, since when its version has run with no replica ever ready and no older version serving
/// (a new deployment, or one whose old replicas are all gone). Past the progress deadline that way it is Failed, as
/// Kubernetes marks a Deployment ProgressDeadlineExceeded, so <c>ls</c> and <c>apply --wait</c> end with why instead of
/// showing Progressing for ever; the node keeps trying. Once a replica of the version was ready the deadline no longer
/// applies to it (a crash loop afterwards is Degraded). A rollout, where an old version serves, has its own deadline
/// (<see cref="RolloutTracker"/>). In memory: a daemon restart starts the clock again.
/// </summary>
public sealed class FirstVersionTracker
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Since when the desired version has waited for its first ready replica; null when the deadline does not apply.</summary>
    public DateTimeOffset? Since(string slug, DesiredReplicas desired, IReadOnlyList<ObservedReplica> observed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(observed);
        if (desired.Count == 0 || observed.Any(r => r.Running && !r.IsCurrent(desired.SpecHash) && r.Index >= 0))
        {
            _entries.TryRemove(slug, out _);
            return null;
        }

        var ready = observed.Any(r => r.IsCurrent(desired.SpecHash) && r.Ready);
        // No replica of the version yet: it is still being prepared (integrations fetched, image pulled), which has its
        // own progress and stall detection; the clock starts when its first replica is created.
        var created = observed.Any(r => r.IsCurrent(desired.SpecHash));
        var entry = _entries.AddOrUpdate(
            slug,
            _ => new Entry(desired.SpecHash, now, ready),
            (_, old) => old.Hash != desired.SpecHash || !created ? new Entry(desired.SpecHash, now, ready) : old with { EverReady = old.EverReady || ready });
        return entry.EverReady ? null : entry.Since;
    }

    public void Forget(string slug) => _entries.TryRemove(slug, out _);

    private sealed record Entry(string Hash, DateTimeOffset Since, bool EverReady);
}
