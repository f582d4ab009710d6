namespace GradientNode.Core.Traffic;

/// <summary>
/// The proxy role's request figures, written to <c>&lt;run-dir&gt;/proxy-stats.json</c> (0600, replaced atomically)
/// so a separately running daemon can read them (autoscaler, <c>get NAME</c>, /metrics): every few seconds while
/// requests come or their windows decay, then once more when the proxy is <see cref="IsAtRest">at rest</see>, and not
/// again until the next request (issue 20: an idle node writes nothing).
/// <see cref="DurationBucketBounds"/> are the histogram upper bounds in seconds (a last +Inf bucket is implied).
/// </summary>
public sealed record TrafficSnapshot(
    DateTimeOffset Written,
    IReadOnlyList<double> DurationBucketBounds,
    IReadOnlyList<DeploymentTraffic> Deployments)
{
    public const string FileName = "proxy-stats.json";

    public static TrafficSnapshot Empty { get; } = new(DateTimeOffset.UnixEpoch, [], []);

    /// <summary>
    /// Nothing in flight or held and no request completed in the last 5 minutes (the longest window). The proxy writes
    /// such figures once and then nothing until a request comes (it wakes on that request and writes at once), so
    /// they stay true however old <see cref="Written"/> is; a proxy that died at rest left figures that say the same.
    /// </summary>
    public bool IsAtRest() => Deployments.All(d => d.Held == 0 && Quiet(d.Forwarded) && Quiet(d.Local) && d.Replicas.All(r => Quiet(r.Traffic)));

    /// <summary>Whether these figures describe <paramref name="now"/>: written at most <paramref name="maxAge"/> before, or at rest.</summary>
    public bool IsCurrent(DateTimeOffset now, TimeSpan maxAge) => now - Written <= maxAge || IsAtRest();

    /// <summary>The figures of the replicas of <paramref name="slug"/> whose route ids are in <paramref name="replicaIds"/>.</summary>
    public IEnumerable<TrafficCounters> TrafficOf(string slug, IReadOnlySet<string> replicaIds)
    {
        ArgumentNullException.ThrowIfNull(replicaIds);
        return Deployments.FirstOrDefault(d => d.Slug == slug)?.Replicas.Where(r => replicaIds.Contains(r.Id)).Select(r => r.Traffic) ?? [];
    }

    private static bool Quiet(TrafficCounters counters) => counters.InFlight == 0 && counters.Requests5m == 0;
}
