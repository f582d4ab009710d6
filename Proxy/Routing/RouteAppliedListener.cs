using GradientNode.Proxy.Metrics;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace GradientNode.Proxy.Routing;

/// <summary>
/// Publishes a snapshot to the gateway once YARP has applied the config built from it, with YARP's endpoint
/// attached to each route, so a request released from waiting finds its endpoint and destinations in place.
/// </summary>
internal sealed partial class RouteAppliedListener : IConfigChangeListener
{
    private readonly RouteState _state;
    private readonly RouteEndpoints _endpoints;
    private readonly ProxyMetrics _metrics;
    private readonly ILogger<RouteAppliedListener> _logger;

    public RouteAppliedListener(RouteState state, RouteEndpoints endpoints, ProxyMetrics metrics, ILogger<RouteAppliedListener> logger)
    {
        _state = state;
        _endpoints = endpoints;
        _metrics = metrics;
        _logger = logger;
    }

    public void ConfigurationApplied(IReadOnlyList<IProxyConfig> proxyConfigs) => Publish(proxyConfigs);

    public void ConfigurationApplyingFailed(IReadOnlyList<IProxyConfig> proxyConfigs, Exception exception)
    {
        LogApplyFailed(_logger, exception);
        Publish(proxyConfigs);
    }

    public void ConfigurationLoaded(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
    }

    public void ConfigurationLoadingFailed(IProxyConfigProvider configProvider, Exception exception) => LogApplyFailed(_logger, exception);

    private void Publish(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
        foreach (var config in proxyConfigs)
        {
            if (config is RouteProxyConfig routes)
            {
                _metrics.Retain(routes.Snapshot.Table);
                _endpoints.Attach(routes.Snapshot);
                _state.Publish(routes.Snapshot);
                var replicas = 0;
                foreach (var cluster in routes.Clusters)
                {
                    replicas += cluster.Destinations?.Count ?? 0;
                }

                LogApplied(_logger, routes.Snapshot.Table.Version, routes.Snapshot.Count, replicas);
            }
        }
    }
}
