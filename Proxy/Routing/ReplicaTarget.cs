using GradientNode.Proxy.Metrics;

namespace GradientNode.Proxy.Routing;

/// <summary>
/// A ready replica as the forwarder sees it: the URL prefix (<c>http://ip:port</c>) and its metrics series,
/// whose in-flight count drives power of two choices. The series is created on the first request (as before),
/// so a replica that never got one shows no series.
/// </summary>
internal sealed class ReplicaTarget
{
    private readonly DeploymentMetrics _deployment;
    private RequestMetrics? _metrics;

    public ReplicaTarget(string id, string address, DeploymentMetrics deployment)
    {
        Id = id;
        Prefix = "http://" + address;
        _deployment = deployment;
        _metrics = deployment.FindReplica(id);
    }

    public string Id { get; }

    /// <summary>The destination prefix handed to YARP's forwarder.</summary>
    public string Prefix { get; }

    /// <summary>Requests in flight to this replica (0 before its first).</summary>
    public long InFlight => Volatile.Read(ref _metrics)?.InFlight ?? 0;

    public RequestMetrics Metrics => Volatile.Read(ref _metrics) ?? (_metrics = _deployment.Replica(Id));
}
