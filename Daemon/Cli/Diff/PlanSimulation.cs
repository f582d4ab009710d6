using GradientNode.Core.Reconciliation;

namespace GradientNode.Daemon.Cli.Diff;

/// <summary>
/// Runs the reconciler's own pure planner (<see cref="ReconcilePlanner"/>) round by round against a simulated node where
/// every new replica becomes ready before the next round, until it has nothing left to do: which indexes get a
/// replica, which are replaced, which stop, and how many replacements ever start at once. A replica of the desired hash
/// that drifted (<see cref="ObservedReplica.Drift"/>) is replaced as an old hash's is, as the planner does.
/// </summary>
internal sealed record PlanSimulation(IReadOnlyList<int> Started, IReadOnlyList<int> Replaced, IReadOnlyList<int> Stopped, int MostReplacingAtOnce)
{
    private const int MaxRounds = 1000;

    public static PlanSimulation Run(DesiredReplicas desired, IReadOnlyList<ObservedReplica> observed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var node = observed.ToList();
        var originalIndexes = observed.Where(r => !r.IsCurrent(desired.SpecHash)).Select(r => r.Index).ToHashSet();
        var started = new SortedSet<int>();
        var replaced = new SortedSet<int>();
        var stopped = new SortedSet<int>();
        var most = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            node = [.. node.Select(r => r with { Ready = r.Running })];
            var plan = ReconcilePlanner.Plan(desired, node, now);
            var kept = ReplicaSlots.Kept(desired.Count, node).ToHashSet();
            var acting = plan.Steps.Where(s => s is CreateReplica or RemoveReplica or StopReplica).ToList();
            if (acting.Count == 0)
            {
                break;
            }

            var replacing = 0;
            foreach (var step in acting)
            {
                switch (step)
                {
                    case CreateReplica create:
                        var replaces = node.Any(r => r.Index == create.Index && !r.IsCurrent(desired.SpecHash)) || originalIndexes.Contains(create.Index);
                        (replaces ? replaced : started).Add(create.Index);
                        replacing += replaces ? 1 : 0;
                        node.Add(new ObservedReplica
                        {
                            ContainerId = $"simulated-{round}-{create.Index}",
                            ContainerName = $"simulated-{round}-{create.Index}",
                            Index = create.Index,
                            SpecHash = desired.SpecHash,
                            Running = true,
                            State = "running",
                            Created = now,
                        });
                        break;
                    case RemoveReplica remove:
                        node.RemoveAll(r => r.ContainerId == remove.Replica.ContainerId);
                        if (!kept.Contains(remove.Replica.Index))
                        {
                            stopped.Add(remove.Replica.Index);
                        }
                        else if (!remove.Replica.IsCurrent(desired.SpecHash) && remove.Replica.Running)
                        {
                            // Its successor already runs (a replacement under way): replaced all the same.
                            replaced.Add(remove.Replica.Index);
                        }

                        break;
                    case StopReplica stop:
                        node.RemoveAll(r => r.ContainerId == stop.Replica.ContainerId);
                        break;
                }
            }

            most = Math.Max(most, replacing);
        }

        return new PlanSimulation([.. started], [.. replaced], [.. stopped], most);
    }
}
