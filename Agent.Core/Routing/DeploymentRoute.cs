namespace GradientNode.Core.Routing;

/// <summary>
/// One deployment as the proxy sees it: host label <see cref="Slug"/>, its replicas, and the expected
/// <c>Authorization</c> header value when the endpoint is protected (<c>Basic base64("paperspace:&lt;secret&gt;")</c>),
/// and whether the replicas speak HTTP/2 without TLS (<c>protocol: h2c</c> in the spec). <see cref="Waiting"/>: while no
/// replica is ready, why (<see cref="HoldReason"/>), for the 503 of a request held past the proxy's wait.
/// <see cref="AuthorizationSecret"/>: the name (never the value) of the secret <see cref="ExpectedAuthorization"/> was made
/// from, so that a restarted daemon knows which secret a kept password belongs to (the proxy does not read it).
/// <see cref="Off"/>: while not <see cref="Enabled"/>, why (<see cref="OffReason"/>), for the 503 the proxy answers at once;
/// null means <see cref="OffReason.Disabled"/>.
/// </summary>
public sealed record DeploymentRoute(
    string Slug,
    string Name,
    bool Enabled,
    IReadOnlyList<ReplicaRoute> Replicas,
    string? ExpectedAuthorization = null,
    bool H2c = false,
    string? Waiting = null,
    string? AuthorizationSecret = null,
    string? Off = null);
