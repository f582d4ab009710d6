namespace GradientNode.Tests.Proxy.Tls;

/// <summary>The hosts a proxy routes, as <see cref="GradientNode.Proxy.Tls.CertificateProvider"/> asks for them; tests add and remove hosts.</summary>
internal sealed class FakeRouteTable
{
    private readonly HashSet<string> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    public void Add(params string[] hosts)
    {
        lock (_lock)
        {
            _hosts.UnionWith(hosts);
        }
    }

    public void Remove(string host)
    {
        lock (_lock)
        {
            _hosts.Remove(host);
        }
    }

    /// <summary>Whether <paramref name="host"/> routes somewhere (the delegate the provider takes).</summary>
    public bool Routes(string host)
    {
        lock (_lock)
        {
            return _hosts.Contains(host);
        }
    }
}
