using GradientNode.Proxy.Forwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace GradientNode.Proxy.Metrics;

/// <summary>
/// Runs in the YARP pipeline after load balancing: moves the request from the deployment's local in-flight
/// to the chosen replica's, and records the result against the replica that served it (a connect retry may
/// have switched it); a failed forward is logged in one line (<see cref="ForwardingErrorLog"/>) and its 502 says why in
/// general words (<see cref="ForwardingErrorAnswer"/>).
/// </summary>
internal sealed class ReplicaMetricsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ProxyMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConnectFailures _failures;
    private readonly RepeatedFailureLog _repeats;

    public ReplicaMetricsMiddleware(
        RequestDelegate next, ProxyMetrics metrics, TimeProvider time, ILogger<ReplicaMetricsMiddleware> logger, ConnectFailures failures,
        RepeatedFailureLog repeats)
    {
        _next = next;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _failures = failures;
        _repeats = repeats;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var feature = context.GetReverseProxyFeature();
        var deployment = _metrics.Find(feature.Route.Config.RouteId);
        if (deployment is null || feature.AvailableDestinations.Count == 0)
        {
            await _next(context).ConfigureAwait(false);
            ForwardingErrorLog.Write(_logger, context, feature.Route.Config.RouteId, feature.ProxiedDestination?.Model.Config.Address, _repeats);
            await ForwardingErrorAnswer.WriteAsync(context, feature, feature.Route.Config.RouteId).ConfigureAwait(false);
            return;
        }

        var chosen = feature.AvailableDestinations[0];
        var replica = deployment.Replica(chosen.DestinationId);
        deployment.Local.Exit();
        deployment.Forwarded.Enter();
        replica.Enter();
        var start = _time.GetTimestamp();
        try
        {
            await _next(context).ConfigureAwait(false);
            MarkFailedConnect(context, feature);
            await ForwardingErrorAnswer.WriteAsync(context, feature, feature.Route.Config.RouteId).ConfigureAwait(false);
        }
        finally
        {
            replica.Exit();
            deployment.Forwarded.Exit();
            deployment.Local.Enter();
            var end = _time.GetTimestamp();
            var duration = _time.GetElapsedTime(start, end);
            var status = context.Response.StatusCode;
            var served = feature.ProxiedDestination;
            var target = served is null || ReferenceEquals(served, chosen) ? replica : deployment.Replica(served.DestinationId);
            target.Record(status, duration, end);
            // The feature lookup only for a replica out of rotation: one field read per request otherwise.
            if (target.OutOfRotation is not null && !FailedToConnect(context))
            {
                target.Reached();
            }

            deployment.Forwarded.Record(status, duration, end);
            ForwardingErrorLog.Write(_logger, context, feature.Route.Config.RouteId, (served ?? chosen).Model.Config.Address, _repeats);
        }
    }

    private static bool FailedToConnect(HttpContext context) =>
        context.Features.Get<IForwarderErrorFeature>() is { Exception: { } failure } && ConnectFailures.IsConnectFailure(failure, context.RequestAborted);

    /// <summary>The last replica tried did not accept the connection: out of rotation (a lookup on success, nothing more).</summary>
    private void MarkFailedConnect(HttpContext context, IReverseProxyFeature feature)
    {
        if (context.Features.Get<IForwarderErrorFeature>() is { Exception: { } failure } && feature.ProxiedDestination is { } destination
            && ConnectFailures.IsConnectFailure(failure, context.RequestAborted))
        {
            _failures.Mark(feature.Route.Cluster, destination, failure);
        }
    }
}
