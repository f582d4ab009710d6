namespace GradientNode.Core.Routing;

/// <summary>
/// One deployment as the proxy sees it: host label <see cref="Slug"/>, its replicas, and the expected
/// <c>Authorization</c> header value when the endpoint is protected (<c>Basic base64("paperspace:&lt;secret&gt;")</c>).
/// </summary>
public sealed record DeploymentRoute(
    string Slug,
    string Name,
    bool Enabled,
    IReadOnlyList<ReplicaRoute> Replicas,
    string? ExpectedAuthorization = null);
