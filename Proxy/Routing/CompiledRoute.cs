using GradientNode.Proxy.Metrics;

namespace GradientNode.Proxy.Routing;

/// <summary>A deployment as the gateway checks and forwards it per request: everything derived once on route reload.</summary>
internal sealed class CompiledRoute
{
    public CompiledRoute(
        string slug, string name, bool enabled, IReadOnlyList<ReplicaTarget> replicas, string? expectedToken, bool protectedRoute, DeploymentMetrics metrics)
    {
        Slug = slug;
        Name = name;
        Enabled = enabled;
        Replicas = replicas;
        ExpectedToken = expectedToken;
        Challenge = expectedToken is null ? null : Auth.BasicAuthentication.Challenge(name);
        IsProtected = protectedRoute;
        Metrics = metrics;
    }

    public string Slug { get; }

    public string Name { get; }

    public bool Enabled { get; }

    /// <summary>The ready replicas, in route-table order.</summary>
    public IReadOnlyList<ReplicaTarget> Replicas { get; }

    public int ReadyReplicas => Replicas.Count;

    /// <summary>The expected Basic token (base64 of <c>paperspace:&lt;secret&gt;</c>), null when the endpoint is public.</summary>
    public string? ExpectedToken { get; }

    /// <summary>The <c>WWW-Authenticate</c> header value, null when the endpoint is public.</summary>
    public string? Challenge { get; }

    /// <summary>The route table names an expected Authorization: the header is not forwarded to the app.</summary>
    public bool IsProtected { get; }

    public DeploymentMetrics Metrics { get; }
}
