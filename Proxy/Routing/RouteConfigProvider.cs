using System.Net;
using GradientNode.Core.Routing;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Transforms;

namespace GradientNode.Proxy.Routing;

/// <summary>
/// YARP config from the route table: per enabled deployment one route (Host <c>&lt;slug&gt;.&lt;domain&gt;</c>, any
/// port) and one cluster whose destinations are the ready replicas at <c>http://ip:port</c>, balanced by
/// power of two choices. Protected routes drop the Authorization header before forwarding.
/// </summary>
internal sealed class RouteConfigProvider : IProxyConfigProvider
{
    private readonly ProxyOptions _options;
    private readonly ForwarderRequestConfig _requestConfig;
    private readonly ForwarderRequestConfig _h2cRequestConfig;
    private readonly HttpClientConfig _clientConfig;
    private volatile RouteProxyConfig _config;

    public RouteConfigProvider(RouteSnapshot initial, ProxyOptions options)
    {
        _options = options;
        _requestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = options.ActivityTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            AllowResponseBuffering = false,
        };
        // protocol: h2c — HTTP/2 with prior knowledge to http:// replicas (streams and trailers, e.g. gRPC).
        _h2cRequestConfig = _requestConfig with { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        _clientConfig = new HttpClientConfig { EnableMultipleHttp2Connections = true };
        _config = Build(initial);
    }

    public IProxyConfig GetConfig() => _config;

    public void Update(RouteSnapshot snapshot)
    {
        var previous = _config;
        _config = Build(snapshot);
        previous.SignalChange();
    }

    private RouteProxyConfig Build(RouteSnapshot snapshot)
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        foreach (var deployment in snapshot.Table.Deployments)
        {
            if (!deployment.Enabled)
            {
                continue;
            }

            var destinations = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase);
            foreach (var replica in deployment.Replicas)
            {
                if (replica.Ready)
                {
                    destinations[replica.Id] = new DestinationConfig { Address = "http://" + replica.Address };
                }
            }

            clusters.Add(new ClusterConfig
            {
                ClusterId = deployment.Slug,
                LoadBalancingPolicy = LoadBalancingPolicies.PowerOfTwoChoices,
                Destinations = destinations,
                HttpRequest = deployment.H2c ? _h2cRequestConfig : _requestConfig,
                HttpClient = _clientConfig,
            });

            var route = new RouteConfig
            {
                RouteId = deployment.Slug,
                ClusterId = deployment.Slug,
                Match = new RouteMatch { Hosts = [deployment.Slug + "." + _options.Domain], Path = "/{**catch-all}" },
            };
            routes.Add(deployment.ExpectedAuthorization is null ? route : route.WithTransformRequestHeaderRemove(HeaderNames.Authorization));
        }

        return new RouteProxyConfig(snapshot, routes, clusters);
    }
}
