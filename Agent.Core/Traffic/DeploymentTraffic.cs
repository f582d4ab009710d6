namespace GradientNode.Core.Traffic;

/// <summary>
/// One deployment at the proxy. <see cref="Forwarded"/> covers requests sent to a replica (its averages are
/// the autoscaler's requestDuration input); <see cref="Local"/> covers requests the proxy answered itself
/// (401, 503 while no replica was ready) or is holding. <see cref="Held"/> counts the requests held right now
/// for want of a ready replica, <see cref="HoldRejected"/> those answered 503 at once because the hold queue was full.
/// </summary>
public sealed record DeploymentTraffic(
    string Slug,
    TrafficCounters Forwarded,
    TrafficCounters Local,
    IReadOnlyList<ReplicaTraffic> Replicas)
{
    /// <summary>Requests held now while the deployment has no ready replica (a gauge).</summary>
    public long Held { get; init; }

    /// <summary>Requests answered 503 at once since the proxy started because the hold queue was full (a counter).</summary>
    public long HoldRejected { get; init; }
}
