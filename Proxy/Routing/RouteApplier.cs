using GradientNode.Core.Routing;
using GradientNode.Proxy.Hosting;
using GradientNode.Proxy.Metrics;
using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Routing;

/// <summary>
/// Applies a route table: compiles the gateway snapshot (deployments with their ready replicas), drops metrics
/// series of deployments and replicas that left, publishes the snapshot (releasing requests waiting for a ready
/// replica) and logs it.
/// </summary>
internal sealed partial class RouteApplier
{
    private readonly RouteState _state;
    private readonly ProxyMetrics _metrics;
    private readonly string _domain;
    private readonly ILogger<RouteApplier> _logger;

    public RouteApplier(RouteState state, ProxyMetrics metrics, ProxyOptions options, ILogger<RouteApplier> logger)
    {
        _state = state;
        _metrics = metrics;
        _domain = options.Domain;
        _logger = logger;
    }

    public void Apply(RouteTable table)
    {
        var snapshot = RouteSnapshot.Create(table, _domain, _metrics);
        _metrics.Retain(table);
        _state.Publish(snapshot);
        var replicas = 0;
        foreach (var deployment in table.Deployments)
        {
            if (deployment.Enabled)
            {
                replicas += snapshot.Find(deployment.Slug)?.ReadyReplicas ?? 0;
            }
        }

        LogApplied(_logger, table.Version, snapshot.Count, replicas);
    }
}
