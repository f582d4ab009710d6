using System.Net;
using GradientNode.Core.Routing;
using GradientNode.Proxy.Auth;
using GradientNode.Proxy.Forwarding;
using GradientNode.Proxy.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace GradientNode.Proxy.Routing;

/// <summary>
/// The proxy's one route model: one route table compiled once, read by the gateway (deployments by slug, looked
/// up from the Host header without allocating: <c>&lt;slug&gt;.&lt;domain&gt;</c>, any port, case-insensitive)
/// and by YARP, as its <see cref="IProxyConfig"/>: per enabled deployment one route (id = slug, Host
/// <c>&lt;slug&gt;.&lt;domain&gt;</c>) and one cluster of its ready replicas at <c>http://ip:port</c>, balanced by
/// power of two choices (HTTP/2 with prior knowledge for <c>protocol: h2c</c> deployments); protected routes drop the Authorization header before forwarding.
/// Immutable, except that each route is handed YARP's endpoint once YARP has applied the snapshot
/// (<see cref="AttachEndpoints"/>), before the gateway sees it.
/// </summary>
internal sealed class RouteSnapshot : IProxyConfig
{
    private readonly Dictionary<string, CompiledRoute> _bySlug;
    private readonly Dictionary<string, CompiledRoute>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly string _domain;
    private readonly CancellationTokenSource _superseded = new();

    private RouteSnapshot(
        RouteTable table, string domain, Dictionary<string, CompiledRoute> bySlug, List<RouteConfig> routes, List<ClusterConfig> clusters)
    {
        Table = table;
        _domain = domain;
        _bySlug = bySlug;
        _lookup = bySlug.GetAlternateLookup<ReadOnlySpan<char>>();
        Routes = routes;
        Clusters = clusters;
        ChangeToken = new CancellationChangeToken(_superseded.Token);
    }

    public RouteTable Table { get; }

    public int Count => _bySlug.Count;

    /// <summary>YARP's routes, one per enabled deployment (route id = cluster id = slug).</summary>
    public IReadOnlyList<RouteConfig> Routes { get; }

    /// <summary>YARP's clusters: each enabled deployment's ready replicas.</summary>
    public IReadOnlyList<ClusterConfig> Clusters { get; }

    /// <summary>Fires when a newer snapshot replaces this one (<see cref="Supersede"/>): YARP then asks for the new one.</summary>
    public IChangeToken ChangeToken { get; }

    public static RouteSnapshot Create(RouteTable table, ProxyOptions options, ProxyMetrics metrics)
    {
        var requestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = options.ActivityTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            AllowResponseBuffering = false,
        };
        // protocol: h2c — HTTP/2 with prior knowledge to http:// replicas (streams and trailers, e.g. gRPC).
        var h2cRequestConfig = requestConfig with { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var clientConfig = new HttpClientConfig { EnableMultipleHttp2Connections = true };
        // Our own availability policy (AcceptingDestinationsPolicy): YARP leaves out of rotation a destination whose connect
        // failed (ConnectFailures) until the proxy's own connect reaches it again. YARP's passive policy never runs: the
        // pipeline has no UsePassiveHealthChecks, so the success path costs nothing more. With all of them out, a request
        // gets a 503 at once (ForwardingErrorAnswer) instead of a wait on a dead address (never HealthyOrPanic).
        var healthConfig = new HealthCheckConfig { AvailableDestinationsPolicy = AcceptingDestinationsPolicy.PolicyName };
        var bySlug = new Dictionary<string, CompiledRoute>(table.Deployments.Count, StringComparer.OrdinalIgnoreCase);
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        foreach (var deployment in table.Deployments)
        {
            var destinations = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase);
            foreach (var replica in deployment.Replicas)
            {
                if (replica.Ready)
                {
                    destinations[replica.Id] = new DestinationConfig { Address = "http://" + replica.Address };
                }
            }

            bySlug[deployment.Slug] = new CompiledRoute(
                deployment.Slug,
                string.IsNullOrEmpty(deployment.Name) ? deployment.Slug : deployment.Name,
                deployment.Enabled,
                destinations.Count,
                BasicAuthentication.ExpectedToken(deployment.ExpectedAuthorization),
                metrics.Deployment(deployment.Slug),
                destinations.Count == 0 ? deployment.Waiting : null,
                deployment.Enabled ? null : deployment.Off);
            if (!deployment.Enabled)
            {
                continue;
            }

            clusters.Add(new ClusterConfig
            {
                ClusterId = deployment.Slug,
                LoadBalancingPolicy = LoadBalancingPolicies.PowerOfTwoChoices,
                Destinations = destinations,
                HttpRequest = deployment.H2c ? h2cRequestConfig : requestConfig,
                HttpClient = clientConfig,
                HealthCheck = healthConfig,
            });
            var route = new RouteConfig
            {
                RouteId = deployment.Slug,
                ClusterId = deployment.Slug,
                Match = new RouteMatch { Hosts = [deployment.Slug + "." + options.Domain], Path = "/{**catch-all}" },
            };
            routes.Add(deployment.ExpectedAuthorization is null ? route : route.WithTransformRequestHeaderRemove(HeaderNames.Authorization));
        }

        return new RouteSnapshot(table, options.Domain, bySlug, routes, clusters);
    }

    public CompiledRoute? Find(ReadOnlySpan<char> slug) => _lookup.TryGetValue(slug, out var route) ? route : null;

    public CompiledRoute? FindByHost(ReadOnlySpan<char> host) => TryGetLabel(host, _domain, out var label) ? Find(label) : null;

    /// <summary>Sets <see cref="CompiledRoute.Endpoint"/> of each route YARP has an endpoint for (YARP's route id = slug).</summary>
    public void AttachEndpoints(IEnumerable<Endpoint> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<RouteModel>() is { } model && Find(model.Config.RouteId) is { } route)
            {
                route.Endpoint = endpoint;
            }
        }
    }

    /// <summary>Tells YARP (through <see cref="ChangeToken"/>) that a newer snapshot replaces this one.</summary>
    public void Supersede() => _superseded.Cancel();

    /// <summary>The first label of <c>&lt;label&gt;.&lt;domain&gt;[:port]</c>; false for any other host.</summary>
    public static bool TryGetLabel(ReadOnlySpan<char> host, string domain, out ReadOnlySpan<char> label)
    {
        label = default;
        if (host.IsEmpty || host[0] == '[')
        {
            return false;
        }

        var colon = host.LastIndexOf(':');
        if (colon >= 0)
        {
            host = host[..colon];
        }

        if (host.EndsWith('.'))
        {
            host = host[..^1];
        }

        var labelLength = host.Length - domain.Length - 1;
        if (labelLength <= 0
            || host[labelLength] != '.'
            || !host[(labelLength + 1)..].Equals(domain, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        label = host[..labelLength];
        return label.IndexOf('.') < 0;
    }
}
