using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace GradientNode.Proxy.Routing;

/// <summary>One YARP config generation, carrying the gateway snapshot it was built from.</summary>
internal sealed class RouteProxyConfig : IProxyConfig
{
    private readonly CancellationTokenSource _changed = new();

    public RouteProxyConfig(RouteSnapshot snapshot, IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters)
    {
        Snapshot = snapshot;
        Routes = routes;
        Clusters = clusters;
        ChangeToken = new CancellationChangeToken(_changed.Token);
    }

    public RouteSnapshot Snapshot { get; }

    public IReadOnlyList<RouteConfig> Routes { get; }

    public IReadOnlyList<ClusterConfig> Clusters { get; }

    public IChangeToken ChangeToken { get; }

    public void SignalChange() => _changed.Cancel();
}
