namespace GradientNode.Core.Traffic;

/// <summary>
/// The proxy role's request figures, written every few seconds to <c>&lt;run-dir&gt;/proxy-stats.json</c>
/// (0600, replaced atomically) so a separately running daemon can read them (autoscaler, <c>get NAME</c>, /metrics).
/// <see cref="DurationBucketBounds"/> are the histogram upper bounds in seconds (a last +Inf bucket is implied).
/// </summary>
public sealed record TrafficSnapshot(
    DateTimeOffset Written,
    IReadOnlyList<double> DurationBucketBounds,
    IReadOnlyList<DeploymentTraffic> Deployments)
{
    public const string FileName = "proxy-stats.json";

    public static TrafficSnapshot Empty { get; } = new(DateTimeOffset.UnixEpoch, [], []);

    /// <summary>The figures of the replicas of <paramref name="slug"/> whose route ids are in <paramref name="replicaIds"/>.</summary>
    public IEnumerable<TrafficCounters> TrafficOf(string slug, IReadOnlySet<string> replicaIds)
    {
        ArgumentNullException.ThrowIfNull(replicaIds);
        return Deployments.FirstOrDefault(d => d.Slug == slug)?.Replicas.Where(r => replicaIds.Contains(r.Id)).Select(r => r.Traffic) ?? [];
    }
}
