using GradientNode.Core.Catalog;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Which deployments a periodic resync reconciles. A deployment whose last reconcile settled (nothing left to wait for) and
/// whose inputs the resync can see (its catalog entry, its containers' ids and states) are as they were at the previous
/// resync is skipped: anything else that can change it (probes, Docker events, secrets, pulls, autoscaling) enqueues it
/// itself. Every <c>fullEvery</c>-th resync, the first included, reconciles every deployment anyway (a safety net, and
/// readiness of replicas without a probe, which only a reconcile observes), except those that are settled, unchanged and
/// have no container at all in this resync's listing (disabled, invalid, or removed and reaped): with no replica there is
/// no readiness to observe, and a container that appears (or vanishes) changes the listing, which picks it. A forced
/// resync (the listing failed, the event stream broke) takes every one. Thread-safe.
/// </summary>
internal sealed class ResyncFilter(int fullEvery)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _settled = new(StringComparer.Ordinal);
    private Dictionary<string, (CatalogEntry? Entry, string Containers)> _lastSeen = new(StringComparer.Ordinal);
    private long _passes;

    /// <summary>Records how <paramref name="slug"/>'s last reconcile ended: settled (no recheck asked) or not.</summary>
    public void Reconciled(string slug, bool settled)
    {
        lock (_gate)
        {
            if (settled)
            {
                _settled.Add(slug);
            }
            else
            {
                _settled.Remove(slug);
            }
        }
    }

    /// <summary>The slugs of <paramref name="current"/> this resync reconciles; <paramref name="full"/> forces all of them.</summary>
    public IReadOnlyList<string> Select(IReadOnlyDictionary<string, (CatalogEntry? Entry, string Containers)> current, bool full = false)
    {
        lock (_gate)
        {
            var periodic = _passes++ % fullEvery == 0;
            var picked = current
                .Where(kv => full
                    || !_settled.Contains(kv.Key) || !_lastSeen.TryGetValue(kv.Key, out var seen) || !seen.Equals(kv.Value)
                    || (periodic && kv.Value.Containers.Length > 0))
                .Select(kv => kv.Key)
                .ToList();
            _lastSeen = new Dictionary<string, (CatalogEntry?, string)>(current, StringComparer.Ordinal);
            _settled.IntersectWith(current.Keys);
            return picked;
        }
    }
}
