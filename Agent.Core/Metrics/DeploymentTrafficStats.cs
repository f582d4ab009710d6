namespace GradientNode.Core.Metrics;

/// <summary>
/// One deployment at the proxy. <see cref="Forwarded"/> covers requests sent to a replica (its averages are
/// the autoscaler's requestDuration input); <see cref="Local"/> covers requests the proxy answered itself
/// (401, 503 while no replica was ready) or is holding.
/// </summary>
public sealed record DeploymentTrafficStats(
    string Slug,
    TrafficStats Forwarded,
    TrafficStats Local,
    IReadOnlyList<ReplicaTrafficStats> Replicas);
