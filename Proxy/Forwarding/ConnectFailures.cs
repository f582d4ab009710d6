using GradientNode.Proxy.Metrics;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// Passive health: a replica whose TCP connect failed (refused, unreachable, or past <see cref="ProxyOptions.ConnectTimeout"/>)
/// is taken out of rotation for <see cref="ProxyOptions.ConnectFailedCooldown"/>, so that later requests go to another
/// ready replica, or get a 503 at once when none is left, instead of each waiting on a dead address (dockerd stopped with
/// live-restore off: the containers are gone while the route table still names them). YARP brings it back after the
/// cooldown; a replaced container is a new destination and starts in rotation. Called only on a failed connect.
/// </summary>
internal sealed partial class ConnectFailures
{
    private readonly IDestinationHealthUpdater _health;
    private readonly TimeSpan _cooldown;
    private readonly ILogger _logger;
    private readonly ProxyMetrics? _metrics;
    private readonly TimeProvider _time;

    /// <param name="metrics">Where the replica's figures note it out of rotation (<see cref="RequestMetrics.TakenOut"/>), for the daemon's status.</param>
    public ConnectFailures(IDestinationHealthUpdater health, ProxyOptions options, ILogger<ConnectFailures> logger, ProxyMetrics? metrics = null)
    {
        _health = health;
        _cooldown = options.ConnectFailedCooldown;
        _logger = logger;
        _metrics = metrics;
        _time = options.TimeProvider;
    }

    /// <summary>A failure to connect, not a failure after the connection existed, nor the request's own cancellation.</summary>
    public static bool IsConnectFailure(Exception? exception, CancellationToken requestAborted) => exception switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => true,
        OperationCanceledException { InnerException: TimeoutException } => !requestAborted.IsCancellationRequested,
        _ => false,
    };

    /// <summary>Whether the replica is out of rotation now.</summary>
    public static bool IsOut(DestinationState destination) => destination.Health.Passive == DestinationHealth.Unhealthy;

    /// <summary>Takes the replica out of rotation for the cooldown (again, when it already was).</summary>
    public void Mark(ClusterState? cluster, DestinationState destination, Exception failure)
    {
        if (cluster is null)
        {
            return;
        }

        var wasOut = IsOut(destination);
        _health.SetPassive(cluster, destination, DestinationHealth.Unhealthy, _cooldown);
        var reason = ForwardingErrorLog.Innermost(failure);
        // Shared with the daemon through proxy-stats.json: its status says which replicas the proxy took out, and since when.
        _metrics?.Find(cluster.ClusterId)?.Replica(destination.DestinationId).TakenOut(_time.GetUtcNow(), _cooldown, reason);
        if (!wasOut)
        {
            LogOut(_logger, cluster.ClusterId, destination.DestinationId, destination.Model.Config.Address, reason, _cooldown.TotalSeconds);
        }
    }

    [LoggerMessage(EventId = ProxyLogEvents.ReplicaOutOfRotation, Level = LogLevel.Warning,
        Message = "Deployment '{Deployment}': replica {Replica} at {Address} did not accept the connection ({Reason}); out of rotation for {Seconds} s, then tried again")]
    private static partial void LogOut(ILogger logger, string deployment, string replica, string address, string reason, double seconds);
}
