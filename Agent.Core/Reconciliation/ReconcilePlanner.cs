using System.Collections.Immutable;
using GradientNode.Core.Common;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// The pure heart of the reconciler: given the desired replica count and container hash and the replicas
/// Docker has, decide what to create, stop and remove. Rules:
/// <list type="bullet">
/// <item>The deployment keeps N indexes (<see cref="ReplicaSlots"/>): those where a container runs first, then those where
/// one exited, then free ones, lowest first; with replicas at 0..N-1 that is 0..N-1. Each kept index wants one running
/// container of the desired hash; a missing one is created.</item>
/// <item>An exited container of the desired hash stays (its exit code visible) until its crash backoff
/// (<see cref="CrashBackoff"/>) ends, then it is removed and recreated.</item>
/// <item>A running container whose startup or liveness probe failed, or that lost its GPU, is stopped; it is then an
/// exited one (backoff applies).</item>
/// <item>Rollout (surge 1, never fewer ready than desired): while old-hash replicas serve, at most one new replica
/// that replaces a ready old one is starting at a time; the old one at an index is removed only once the new one
/// there is ready. An index whose old replica is not ready (or gone) is replaced at once.</item>
/// <item>When the rollout made no progress within <see cref="DesiredReplicas.ProgressDeadline"/> while a new replica
/// is still not ready, it is failed (<see cref="RolloutFailed"/>): no further old replica is replaced.</item>
/// <item>A running replica of the desired hash whose creation settings drifted (<see cref="ObservedReplica.Drift"/>, e.g.
/// <c>NET_RAW</c> from an earlier version) is out of date as an old hash's is, and rolled the same way.</item>
/// <item>The other indexes are removed (scale down, highest first: with replicas at 0..N+k-1, the indexes at or above N);
/// scaling never touches the replicas that stay, and a running replica is never removed while a new one is created in
/// its place (a lowered count, or the node's <c>--max-replicas</c>, with a lower index missing keeps the ones that run).</item>
/// </list>
/// </summary>
public static class ReconcilePlanner
{
    public static ReconcilePlan Plan(DesiredReplicas desired, IReadOnlyList<ObservedReplica> actual, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(actual);
        var deadRemoves = new List<PlanStep>();
        var steps = new List<PlanStep>();
        var liveRemoves = new List<PlanStep>();
        var kept = ReplicaSlots.Kept(desired.Count, actual);
        var keptSet = kept.ToHashSet();

        foreach (var replica in actual.Where(r => !keptSet.Contains(r.Index)).OrderByDescending(r => r.Index))
        {
            var reason = desired.Count == 0 ? desired.Reason : $"scaled down to {desired.Count}";
            (replica.Running ? liveRemoves : deadRemoves).Add(new RemoveReplica(replica, reason));
        }

        // Indexes where a ready old-spec replica still serves: replacing one of them is the surge.
        var rolling = kept
            .Where(i => actual.Any(r => r.Index == i && !r.IsCurrent(desired.SpecHash) && r.Running && r.Ready))
            .ToHashSet();
        var starting = rolling.Count(i => actual.Any(r => r.Index == i && r.IsCurrent(desired.SpecHash) && !(r.Running && r.Ready && r.RestartReason is null)));
        var stalled = rolling.Count > 0 && starting > 0 && now - (desired.RolloutProgressAt ?? now) > desired.ProgressDeadline;
        if (stalled)
        {
            steps.Add(new RolloutFailed(
                $"no new replica became ready within the progress deadline ({desired.ProgressDeadline.TotalSeconds:0} s); the old version keeps serving"));
        }

        var surgeLeft = stalled ? 0 : Math.Max(0, 1 - starting);
        foreach (var index in kept)
        {
            var atIndex = actual.Where(r => r.Index == index).ToList();
            var mayCreate = true;
            if (rolling.Contains(index) && !atIndex.Any(r => r.IsCurrent(desired.SpecHash)))
            {
                mayCreate = surgeLeft > 0;
                surgeLeft -= mayCreate ? 1 : 0;
            }

            PlanIndex(index, desired.SpecHash, atIndex, now, mayCreate, deadRemoves, steps, liveRemoves);
        }

        // Dead containers go first (they free names and GPUs), then create and hold steps, then old ones whose successor is ready.
        return new ReconcilePlan([.. deadRemoves, .. steps, .. liveRemoves]);
    }

    private static void PlanIndex(
        int index,
        string hash,
        List<ObservedReplica> atIndex,
        DateTimeOffset now,
        bool mayCreate,
        List<PlanStep> deadRemoves,
        List<PlanStep> steps,
        List<PlanStep> liveRemoves)
    {
        var live = atIndex.Where(r => r.IsCurrent(hash) && r.Running)
            .OrderByDescending(r => r.Ready)
            .ThenBy(r => r.Created)
            .ToList();
        foreach (var extra in live.Skip(1))
        {
            liveRemoves.Add(new RemoveReplica(extra, "duplicate replica"));
        }

        if (live.Count > 0 && live[0].RestartReason is { } why)
        {
            liveRemoves.Add(new StopReplica(live[0], why));
        }

        var dead = atIndex.Where(r => r.IsCurrent(hash) && !r.Running).OrderByDescending(r => r.Created).ToList();
        if (live.Count == 0)
        {
            var latest = dead.FirstOrDefault();
            var restartAt = latest is null ? now : CrashBackoff.RestartAt(latest, now);
            if (latest is not null && restartAt > now)
            {
                steps.Add(new WaitBackoff(index, restartAt));
                dead.RemoveAt(0);
            }
            else if (mayCreate)
            {
                steps.Add(latest is null
                    ? new CreateReplica(index)
                    : new CreateReplica(index, latest.Restarts + 1, CrashBackoff.CrashesAfter(latest), latest.ExitCode));
            }
        }

        foreach (var exited in dead)
        {
            deadRemoves.Add(new RemoveReplica(exited, exited.ExitCode is { } code ? ContainerExit.Describe(code) : $"container is {exited.State}"));
        }

        var successorReady = live.Count > 0 && live[0].Ready && live[0].RestartReason is null;
        foreach (var stale in atIndex.Where(r => !r.IsCurrent(hash)))
        {
            if (!stale.Running)
            {
                deadRemoves.Add(new RemoveReplica(stale, "stopped container of an old spec"));
            }
            else if (successorReady || !stale.Ready)
            {
                // An old replica that serves nothing can go before its successor is ready.
                liveRemoves.Add(new RemoveReplica(stale, stale.SpecHash == hash && stale.Drift is { } drift ? $"replaced: {drift}" : $"replaced by spec {hash}") { Replaced = true });
            }
        }
    }
}
