using System.Net;
using System.Net.Sockets;
using GradientNode.Proxy.Metrics;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace GradientNode.Proxy.Forwarding;

/// <summary>
/// Passive health: a replica whose TCP connect failed (refused, unreachable, or past <see cref="ProxyOptions.ConnectTimeout"/>)
/// is taken out of rotation (<see cref="OutOfRotation"/>, read by <see cref="AcceptingDestinationsPolicy"/>), so that later
/// requests go to another ready replica, or get a 503 at once when none is left, instead of each waiting on a dead
/// address (dockerd stopped with live-restore off: the containers are gone while the route table still names them).
/// It comes back when the proxy's own connect reaches it: one every <see cref="ProxyOptions.ConnectFailedCooldown"/>,
/// with the full connect timeout (a replica slow to accept gets its chance), made here and not by a client's request.
/// Before (faults15), YARP put it back blindly after the cooldown and the next request paid the connect timeout for each
/// dead replica it tried (2 s each, 8 s at most) before its 503. A replaced container is a new destination and starts
/// in rotation; a replica the route table no longer names is forgotten at its next probe.
/// </summary>
internal sealed partial class ConnectFailures : IDisposable
{
    private readonly OutOfRotation _out;
    private readonly IClusterDestinationsUpdater _updater;
    private readonly TimeSpan _cooldown;
    private readonly TimeSpan _connectTimeout;
    private readonly ILogger _logger;
    private readonly ProxyMetrics? _metrics;
    private readonly RepeatedFailureLog? _repeats;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly IServiceProvider? _services;

    /// <param name="services">Where YARP's live clusters are looked up at each probe (lazily: YARP's config manager needs the
    /// forwarder's client factory, which needs this).</param>
    /// <param name="metrics">Where the replica's figures note it out of rotation (<see cref="RequestMetrics.TakenOut"/>), for the daemon's status.</param>
    public ConnectFailures(
        OutOfRotation outOfRotation, IClusterDestinationsUpdater updater, ProxyOptions options, ILogger<ConnectFailures> logger,
        IServiceProvider? services = null, ProxyMetrics? metrics = null, RepeatedFailureLog? repeats = null)
    {
        _services = services;
        _out = outOfRotation;
        _updater = updater;
        _cooldown = options.ConnectFailedCooldown;
        _connectTimeout = options.ConnectTimeout;
        _logger = logger;
        _metrics = metrics;
        _repeats = repeats;
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
    public bool IsOut(DestinationState destination) => _out.Contains(destination);

    /// <summary>Takes the replica out of rotation until a probe connects to it (the probe starts with the first failure).</summary>
    public void Mark(ClusterState? cluster, DestinationState destination, Exception failure)
    {
        if (cluster is null)
        {
            return;
        }

        var reason = ForwardingErrorLog.Innermost(failure);
        // Shared with the daemon through proxy-stats.json: its status says which replicas the proxy took out, and since when.
        _metrics?.Find(cluster.ClusterId)?.Replica(destination.DestinationId).TakenOut(_time.GetUtcNow(), _cooldown, reason);
        if (!_out.Add(destination))
        {
            return;
        }

        _updater.UpdateAvailableDestinations(cluster);
        var repeats = string.Empty;
        if (_repeats?.ShouldLog(cluster.ClusterId, ProxyLogEvents.ReplicaOutOfRotation, out repeats, destination.DestinationId) ?? true)
        {
            LogOut(_logger, cluster.ClusterId, destination.DestinationId, destination.Model.Config.Address, reason, _cooldown.TotalSeconds, repeats);
        }

        _ = ProbeUntilBackAsync(cluster, destination, reason);
    }

    /// <summary>Stops the probes.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task ProbeUntilBackAsync(ClusterState cluster, DestinationState destination, string reason)
    {
        try
        {
            var token = _stopping.Token;
            while (true)
            {
                await Task.Delay(_cooldown, _time, token).ConfigureAwait(false);
                if (!IsRouted(cluster, destination))
                {
                    _out.Remove(destination); // the route table no longer names it (replaced, stopped, or its deployment gone)
                    return;
                }

                var failure = await ConnectAsync(destination.Model.Config.Address, token).ConfigureAwait(false);
                if (failure is null)
                {
                    _out.Remove(destination);
                    _metrics?.Find(cluster.ClusterId)?.Replica(destination.DestinationId).Reached();
                    _updater.UpdateAvailableDestinations(cluster);
                    return;
                }

                reason = failure;
                _metrics?.Find(cluster.ClusterId)?.Replica(destination.DestinationId).TakenOut(_time.GetUtcNow(), _cooldown, reason);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // The proxy stops.
        }
        catch (Exception ex)
        {
            // Never leave a replica out for good on a fault of the probe itself: YARP's state decides again.
            _out.Remove(destination);
            _updater.UpdateAvailableDestinations(cluster);
            LogProbeFailed(_logger, ex, cluster.ClusterId, destination.DestinationId);
        }
    }

    /// <summary>Whether YARP still routes to the replica: its cluster is the live one of its id (a deployment removed from the
    /// route table leaves its cluster behind, destinations and all) and that names this destination.</summary>
    private bool IsRouted(ClusterState cluster, DestinationState destination)
    {
        if (_services?.GetService(typeof(IProxyStateLookup)) is IProxyStateLookup lookup
            && (!lookup.TryGetCluster(cluster.ClusterId, out var live) || !ReferenceEquals(live, cluster)))
        {
            return false;
        }

        return cluster.Destinations.TryGetValue(destination.DestinationId, out var current) && ReferenceEquals(current, destination);
    }

    /// <summary>A TCP connect to the replica's address within the connect timeout: null when it was accepted, else why not.</summary>
    private async Task<string?> ConnectAsync(string address, CancellationToken cancellationToken)
    {
        var uri = new Uri(address, UriKind.Absolute);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_connectTimeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Replica addresses are IP addresses (the route table's ip:port); DnsSafeHost drops an IPv6 address's brackets.
            EndPoint endpoint = IPAddress.TryParse(uri.DnsSafeHost, out var ip) ? new IPEndPoint(ip, uri.Port) : new DnsEndPoint(uri.DnsSafeHost, uri.Port);
            await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {_connectTimeout.TotalSeconds:0.###} s ({uri.Authority})";
        }
        catch (SocketException ex)
        {
            return $"{ex.Message} ({uri.Authority})";
        }
    }

    [LoggerMessage(EventId = ProxyLogEvents.ReplicaOutOfRotation, Level = LogLevel.Warning,
        Message = "Deployment '{Deployment}': replica {Replica} at {Address} did not accept the connection ({Reason}); out of rotation, tried again every {Seconds} s until it accepts one{Repeats}")]
    private static partial void LogOut(ILogger logger, string deployment, string replica, string address, string reason, double seconds, string repeats);

    [LoggerMessage(EventId = ProxyLogEvents.ReplicaProbeFailed, Level = LogLevel.Error,
        Message = "Deployment '{Deployment}': the proxy's connect check of replica {Replica} failed; it is back in rotation")]
    private static partial void LogProbeFailed(ILogger logger, Exception exception, string deployment, string replica);
}
