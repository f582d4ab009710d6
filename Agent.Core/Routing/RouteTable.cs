namespace GradientNode.Core.Routing;

/// <summary>
/// What the proxy serves, written by the daemon role to <c>&lt;run-dir&gt;/routes.json</c> (0600, replaced
/// atomically) and read by the proxy role. <see cref="Version"/> grows with every write.
/// </summary>
public sealed record RouteTable(long Version, DateTimeOffset Written, IReadOnlyList<DeploymentRoute> Deployments)
{
    public const string FileName = "routes.json";

    public static RouteTable Empty { get; } = new(0, DateTimeOffset.UnixEpoch, []);
}
