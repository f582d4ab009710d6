using System.Collections.Concurrent;
using GradientNode.Core.Health;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Tracks running replicas' probes in the <see cref="HealthMonitor"/> and overlays what they say.
/// A replica of an older version (another spec hash: a rollout) keeps the probes it was started with: the new
/// version's probes are the new version's. Before, they were swapped onto the old replicas too, so a rollout whose new
/// readiness probe failed (a path the old image lacks, or any probe not passed yet) made every old replica not ready,
/// and the planner replaced them all at once: the deployment served nothing. An old replica the monitor has no loop for
/// (the daemon restarted during the rollout, so its probes are unknown) keeps the TCP check of its port instead.
/// <para>
/// So does a replica of the current spec hash created with other <c>healthChecks</c> (its
/// <see cref="ObservedReplica.ProbesHash"/> differs from the spec's): it is given the <see cref="ProbesChanged"/> drift, so
/// the planner rolls it out as it rolls an old hash's replica, and it serves with its own probes until its successor
/// passes the new ones. Before, the new probes were swapped onto the running replicas in place: a typo in a readiness
/// path took every replica out of rotation at once. A replica without the label (created by a node before it) is taken
/// as created with the probes this daemon first sees it with, so upgrading the node rolls nothing, and a later change
/// of the probes rolls it too.
/// </para>
/// </summary>
public sealed class HealthOverlay(HealthMonitor monitor) : IReplicaOverlay
{
    /// <summary>The drift of a running replica of the current spec hash whose probes are not the spec's.</summary>
    public const string ProbesChanged = "created before healthChecks changed";

    /// <summary>Replicas without the probes label: the deployment, and the probes' hash this daemon first saw each one with.</summary>
    private readonly ConcurrentDictionary<string, (string Slug, string Hash)> _adopted = new(StringComparer.Ordinal);

    public IReadOnlyList<ObservedReplica> Apply(string slug, DeploymentSpec? spec, string specHash, int port, IReadOnlyList<ObservedReplica> observed)
    {
        ArgumentNullException.ThrowIfNull(specHash);
        var checks = spec?.HealthChecks ?? HealthChecksSpec.None;
        var probesHash = ProbesHasher.Compute(checks);
        var probed = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<ObservedReplica> result = [.. observed.Select(r =>
        {
            if (!r.Running)
            {
                // Stopped with other probes (a liveness probe the change may fix): out of date, its backoff no longer holds.
                var other = spec is not null && specHash.Length > 0 && r.SpecHash == specHash && r.ProbesHash is { } own && own != probesHash;
                return other ? ProbesOutdatedOf(r) : r;
            }

            if (r.StartedAt is not { } started)
            {
                return r;
            }

            var olderVersion = spec is not null && specHash.Length > 0 && r.SpecHash != specHash;
            var olderProbes = spec is not null && specHash.Length > 0 && !olderVersion && ProbesOf(slug, r, probesHash) != probesHash;
            // Without a spec (its file went away, maybe for a moment: RemovalGrace) a replica keeps the probe loop it has, so
            // that it keeps its readiness if the spec comes back; before, the loop was stopped and started again from scratch.
            if (spec is not null && !olderVersion && !olderProbes)
            {
                monitor.Track(slug, r.ContainerId, r.IpAddress, r.Port ?? port, started, checks);
            }

            var replica = olderProbes ? ProbesOutdatedOf(r) : r;
            if (monitor.Get(r.ContainerId) is not { } health)
            {
                return replica;
            }

            probed.Add(r.ContainerId);

            // With a readiness probe it alone decides; without one, the TCP check does (once any startup probe passed). A
            // paused replica is out at once, not after its probe has timed out failureThreshold times.
            var ready = health.Health == ReplicaHealth.Ready && (health.HasReadinessProbe || r.Ready) && !r.Paused;
            return replica with { Health = health, Ready = ready };
        })];
        monitor.Forget(slug, probed);
        var seen = observed.Select(r => r.ContainerId).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, _) in _adopted.Where(a => a.Value.Slug == slug && !seen.Contains(a.Key)))
        {
            _adopted.TryRemove(id, out _);
        }

        return result;
    }

    /// <summary><paramref name="replica"/> marked out of date for its probes, <see cref="ProbesChanged"/> added to its drift.</summary>
    private static ObservedReplica ProbesOutdatedOf(ObservedReplica replica) =>
        replica with { ProbesOutdated = true, Drift = replica.Drift is null ? ProbesChanged : $"{replica.Drift}; {ProbesChanged}" };

    /// <summary>The hash of the probes <paramref name="replica"/> was created with: its label, else the spec's when first seen.</summary>
    private string ProbesOf(string slug, ObservedReplica replica, string current) =>
        replica.ProbesHash ?? _adopted.GetOrAdd(replica.ContainerId, (slug, current)).Hash;
}
