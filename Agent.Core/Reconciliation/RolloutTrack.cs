namespace GradientNode.Core.Reconciliation;

/// <summary>A rollout in progress: to which hash, from which, when a new replica last became ready and how many are.</summary>
public sealed record RolloutTrack(string ToHash, IReadOnlyList<string> FromHashes, DateTimeOffset LastProgress, int ReadyNew)
{
    /// <summary>
    /// Why replicas of the desired hash itself are replaced (<see cref="ObservedReplica.Drift"/>), e.g. <c>replacing replicas
    /// created with NET_RAW by an earlier version of the node</c>; null for a spec change alone.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>The probes' hash of the version rolled to (<see cref="DesiredReplicas.ProbesHash"/>).</summary>
    public string? ToProbes { get; init; }
}
