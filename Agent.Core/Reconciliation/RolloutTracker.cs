using System.Collections.Concurrent;
using GradientNode.Core.Health;
using GradientNode.Core.Status;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Remembers, per deployment, when the rollout to the desired hash last made progress (a new replica became
/// ready), which the planner's progress deadline reads, and describes the rollout for the status.
/// </summary>
public sealed class RolloutTracker
{
    private readonly ConcurrentDictionary<string, RolloutTrack> _rollouts = new(StringComparer.Ordinal);

    /// <summary>The rollout to <paramref name="desired"/>'s hash, or null when no replica of another hash runs.</summary>
    public RolloutTrack? Track(string slug, DesiredReplicas desired, IReadOnlyList<ObservedReplica> observed, DateTimeOffset now)
    {
        var stale = observed.Where(r => r.Running && r.SpecHash != desired.SpecHash && r.Index >= 0 && r.Index < desired.Count)
            .Select(r => r.SpecHash).Distinct().ToList();
        if (desired.Count == 0 || stale.Count == 0)
        {
            _rollouts.TryRemove(slug, out _);
            return null;
        }

        var readyNew = observed.Count(r => r.SpecHash == desired.SpecHash && r.Ready);
        // Until the first new replica exists the version is still being prepared (its integrations fetched, its image
        // pulled): the deadline is for replicas becoming ready, so its clock starts when the first one is created.
        var created = observed.Any(r => r.SpecHash == desired.SpecHash);
        return _rollouts.AddOrUpdate(
            slug,
            _ => new RolloutTrack(desired.SpecHash, stale, now, readyNew),
            (_, old) => old.ToHash != desired.SpecHash
                ? new RolloutTrack(desired.SpecHash, stale, now, readyNew)
                : old with { FromHashes = stale, LastProgress = readyNew > old.ReadyNew || !created ? now : old.LastProgress, ReadyNew = readyNew });
    }

    /// <summary>The status of <paramref name="track"/>: progressing, or failed with why (the stuck replica and its probe).</summary>
    public static RolloutStatus? Describe(RolloutTrack? track, DesiredReplicas desired, ReconcilePlan plan, IReadOnlyList<ObservedReplica> observed)
    {
        if (track is null)
        {
            return null;
        }

        if (plan.Failure is not { } failure)
        {
            return new RolloutStatus("Progressing", track.ToHash, track.FromHashes, track.LastProgress, null);
        }

        var stuck = observed.FirstOrDefault(r => r.SpecHash == desired.SpecHash && !r.Ready);
        var why = stuck is null ? string.Empty : $"; new replica {stuck.Index}: {StatusBuilder.Lifecycle(stuck).Message ?? stuck.State}";
        var probe = stuck?.Health is { } h ? (h.Startup?.LastMessage is { } s && h.Health == ReplicaHealth.Starting ? $" (startup probe: {s})" : h.Readiness?.LastMessage is { } r ? $" (last readiness result: {r})" : string.Empty) : string.Empty;
        return new RolloutStatus("Failed", track.ToHash, track.FromHashes, track.LastProgress, failure.Reason + why + probe);
    }
}
