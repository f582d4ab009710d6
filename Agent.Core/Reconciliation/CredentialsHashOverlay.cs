using System.Collections.Concurrent;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Takes a replica labelled with the hash a node before 2026-12-07 gave its spec (<see cref="SpecHasher.ComputeBeforeCredentials"/>:
/// the hash then left out an integration's access key id, secret reference and region, and a repository's password
/// reference) as a replica of the version this daemon first sees it with, so the first start after an upgrade rolls
/// nothing: a GPU model on a full box would otherwise have waited for a GPU it cannot get. That hash cannot tell one key
/// from another, so the version is remembered per container (in memory, as <see cref="HealthOverlay"/> remembers the
/// probes of a replica from before its label): a later edit of the credentials rolls the replica, and an edit made while
/// the daemon was down is taken as the replica's own at the next start (kept so by decision, not persisted:
/// docs/design/reconciler.md, "Spec hash"). First of the overlays, so that the others see
/// the replica as current.
/// </summary>
/// <param name="beforeCredentials">The current spec's hash as such a node computed it (with the restart generation); null where the same.</param>
public sealed class CredentialsHashOverlay(Func<DeploymentSpec, string?> beforeCredentials) : IReplicaOverlay
{
    private readonly ConcurrentDictionary<string, (string Slug, string Hash)> _adopted = new(StringComparer.Ordinal);

    public IReadOnlyList<ObservedReplica> Apply(string slug, DeploymentSpec? spec, string specHash, int port, IReadOnlyList<ObservedReplica> observed)
    {
        foreach (var (id, adopted) in _adopted)
        {
            if (adopted.Slug == slug && !observed.Any(r => r.ContainerId == id))
            {
                _adopted.TryRemove(id, out _);
            }
        }

        var before = spec is null || specHash.Length == 0 ? null : beforeCredentials(spec);
        if (before is null || before == specHash)
        {
            return _adopted.IsEmpty ? observed : [.. observed.Select(r => _adopted.TryGetValue(r.ContainerId, out var a) ? r with { SpecHash = a.Hash } : r)];
        }

        return [.. observed.Select(r => r.SpecHash == before || _adopted.ContainsKey(r.ContainerId)
            ? r with { SpecHash = _adopted.GetOrAdd(r.ContainerId, (slug, specHash)).Hash }
            : r)];
    }
}
