using GradientNode.Proxy.Metrics;
using Microsoft.AspNetCore.Http;

namespace GradientNode.Proxy.Routing;

/// <summary>A deployment as the gateway checks it per request: everything derived once on route reload.</summary>
internal sealed class CompiledRoute
{
    public CompiledRoute(string slug, string name, bool enabled, int readyReplicas, string? expectedToken, DeploymentMetrics metrics, string? waiting = null, string? off = null)
    {
        Slug = slug;
        Name = name;
        Enabled = enabled;
        ReadyReplicas = readyReplicas;
        ExpectedToken = expectedToken;
        Challenge = expectedToken is null ? null : Auth.BasicAuthentication.Challenge(name, slug);
        Metrics = metrics;
        Waiting = waiting;
        Off = off;
    }

    public string Slug { get; }

    public string Name { get; }

    public bool Enabled { get; }

    public int ReadyReplicas { get; }

    /// <summary>The expected Basic token (base64 of <c>paperspace:&lt;secret&gt;</c>), null when the endpoint is public.</summary>
    public string? ExpectedToken { get; }

    /// <summary>The <c>WWW-Authenticate</c> header value, null when the endpoint is public.</summary>
    public string? Challenge { get; }

    public DeploymentMetrics Metrics { get; }

    /// <summary>While no replica is ready, why, in words any client may read (the daemon's <c>HoldReason</c>); null when unknown.</summary>
    public string? Waiting { get; }

    /// <summary>While not <see cref="Enabled"/>, why (the daemon's <c>OffReason</c>); null: it is disabled.</summary>
    public string? Off { get; }

    /// <summary>
    /// The 503 body of a request to a deployment that serves nothing on purpose: <c>deployment 'NAME' is disabled</c>, or the
    /// reason the daemon gave (<c>is scaled to 0 (resources.replicas: 0)</c>; before, "is disabled" for that too).
    /// </summary>
    public string NotServing() => $"deployment '{Name}' {Off ?? GradientNode.Core.Routing.OffReason.Disabled}\n";

    /// <summary>The 503 body of a request that found no ready replica: the deployment, and why when the daemon said.</summary>
    public string NoReadyReplica(string? more = null) =>
        $"deployment '{Name}' has no ready replica{more}{(Waiting is null ? string.Empty : ": " + Waiting)}\n";

    /// <summary>
    /// YARP's endpoint for this route (its cluster, destinations, transforms), set by <see cref="RouteSnapshot.AttachEndpoints"/>
    /// before the snapshot is published; null for a disabled deployment or while YARP has not applied it.
    /// </summary>
    public Endpoint? Endpoint { get; set; }
}
