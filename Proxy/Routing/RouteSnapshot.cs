using GradientNode.Core.Routing;
using GradientNode.Proxy.Auth;
using GradientNode.Proxy.Metrics;

namespace GradientNode.Proxy.Routing;

/// <summary>
/// An immutable view of one route table for the gateway: deployments by slug, looked up from the Host header
/// without allocating (<c>&lt;slug&gt;.&lt;domain&gt;</c>, any port, case-insensitive).
/// </summary>
internal sealed class RouteSnapshot
{
    private readonly Dictionary<string, CompiledRoute> _bySlug;
    private readonly Dictionary<string, CompiledRoute>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly string _domain;

    private RouteSnapshot(RouteTable table, string domain, Dictionary<string, CompiledRoute> bySlug)
    {
        Table = table;
        _domain = domain;
        _bySlug = bySlug;
        _lookup = bySlug.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public RouteTable Table { get; }

    public int Count => _bySlug.Count;

    public static RouteSnapshot Create(RouteTable table, string domain, ProxyMetrics metrics)
    {
        var bySlug = new Dictionary<string, CompiledRoute>(table.Deployments.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var deployment in table.Deployments)
        {
            var ready = 0;
            foreach (var replica in deployment.Replicas)
            {
                ready += replica.Ready ? 1 : 0;
            }

            bySlug[deployment.Slug] = new CompiledRoute(
                deployment.Slug,
                string.IsNullOrEmpty(deployment.Name) ? deployment.Slug : deployment.Name,
                deployment.Enabled,
                ready,
                BasicAuthentication.ExpectedToken(deployment.ExpectedAuthorization),
                metrics.Deployment(deployment.Slug));
        }

        return new RouteSnapshot(table, domain, bySlug);
    }

    public CompiledRoute? Find(ReadOnlySpan<char> slug) => _lookup.TryGetValue(slug, out var route) ? route : null;

    public CompiledRoute? FindByHost(ReadOnlySpan<char> host) => TryGetLabel(host, _domain, out var label) ? Find(label) : null;

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
