using System.Collections.Immutable;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// The pure heart of the reconciler: given the desired replica count and container hash and the replicas
/// Docker has, decide what to create and remove. Rules:
/// <list type="bullet">
/// <item>Each index 0..N-1 wants one running container of the desired hash; a missing one is created.</item>
/// <item>An exited container of the desired hash stays (its exit code visible) until its crash backoff
/// (<see cref="CrashBackoff"/>) ends, then it is removed and recreated.</item>
/// <item>Containers of an old hash keep serving until the new container at their index is ready (new before old).</item>
/// <item>Indexes at or above N are removed (scale down); scaling never touches the replicas that stay.</item>
/// </list>
/// </summary>
public static class ReconcilePlanner
{
    public static ReconcilePlan Plan(DesiredReplicas desired, IReadOnlyList<ObservedReplica> actual, DateTimeOffset now)
    {
        var deadRemoves = new List<PlanStep>();
        var creates = new List<PlanStep>();
        var liveRemoves = new List<PlanStep>();

        foreach (var replica in actual.Where(r => r.Index < 0 || r.Index >= desired.Count).OrderByDescending(r => r.Index))
        {
            var reason = desired.Count == 0 ? desired.Reason : $"scaled down to {desired.Count}";
            (replica.Running ? liveRemoves : deadRemoves).Add(new RemoveReplica(replica, reason));
        }

        for (var index = 0; index < desired.Count; index++)
        {
            PlanIndex(index, desired.SpecHash, actual.Where(r => r.Index == index).ToList(), now, deadRemoves, creates, liveRemoves);
        }

        // Dead containers go first (they free names and GPUs), then new replicas, then old ones whose successor is ready.
        return new ReconcilePlan([.. deadRemoves, .. creates, .. liveRemoves]);
    }

    private static void PlanIndex(
        int index,
        string hash,
        List<ObservedReplica> atIndex,
        DateTimeOffset now,
        List<PlanStep> deadRemoves,
        List<PlanStep> creates,
        List<PlanStep> liveRemoves)
    {
        var live = atIndex.Where(r => r.SpecHash == hash && r.Running)
            .OrderByDescending(r => r.Ready)
            .ThenBy(r => r.Created)
            .ToList();
        foreach (var extra in live.Skip(1))
        {
            liveRemoves.Add(new RemoveReplica(extra, "duplicate replica"));
        }

        var dead = atIndex.Where(r => r.SpecHash == hash && !r.Running).OrderByDescending(r => r.Created).ToList();
        if (live.Count == 0)
        {
            var latest = dead.FirstOrDefault();
            var restartAt = latest is null ? now : CrashBackoff.RestartAt(latest);
            if (latest is not null && restartAt > now)
            {
                creates.Add(new WaitBackoff(index, restartAt));
                dead.RemoveAt(0);
            }
            else
            {
                creates.Add(latest is null
                    ? new CreateReplica(index)
                    : new CreateReplica(index, latest.Restarts + 1, CrashBackoff.CrashesAfter(latest), latest.ExitCode));
            }
        }

        foreach (var exited in dead)
        {
            deadRemoves.Add(new RemoveReplica(exited, exited.ExitCode is { } code ? $"exited with code {code}" : $"container is {exited.State}"));
        }

        var successorReady = live.Count > 0 && live[0].Ready;
        foreach (var stale in atIndex.Where(r => r.SpecHash != hash))
        {
            if (!stale.Running)
            {
                deadRemoves.Add(new RemoveReplica(stale, "stopped container of an old spec"));
            }
            else if (successorReady)
            {
                liveRemoves.Add(new RemoveReplica(stale, $"replaced by spec {hash}"));
            }
        }
    }
}
