using GradientNode.Core.Catalog;

namespace GradientNode.Core.Routing;

/// <summary>
/// Why a deployment the proxy knows serves nothing on purpose (its route is not enabled), in words the proxy may show
/// any client after the deployment's name: the 503's body <c>deployment 'NAME' &lt;reason&gt;</c>. Null where the words
/// are the proxy's default, <see cref="Disabled"/> (<c>enabled: false</c>, or a route table written before this field).
/// Before, every such route answered "is disabled": a deployment scaled to 0 (<c>enabled: true</c>) too (proxy19).
/// </summary>
public static class OffReason
{
    /// <summary>What the proxy says when the route carries no reason: <c>enabled: false</c>.</summary>
    public const string Disabled = "is disabled";

    /// <summary><c>resources.replicas: 0</c> (and <c>enabled: true</c>): scaled to 0, not switched off.</summary>
    public const string ScaledToZero = "is scaled to 0 (resources.replicas: 0)";

    /// <summary>Its spec file is gone: the replicas left drain, then the host is unknown (404).</summary>
    public const string Removed = "is being removed";

    /// <summary>Its spec file has errors and no version of it can run (replicas of an older one may be left, unserved).</summary>
    public const string Invalid = "has no valid spec to run";

    /// <summary>The reason for a route that is not enabled, from its catalog entry (null: none, the file is gone).</summary>
    public static string? Of(CatalogEntry? entry) => entry switch
    {
        null => Removed,
        { Spec: null } => Invalid,
        { Spec.Enabled: false } => null,
        { Spec.Resources.Replicas: 0 } => ScaledToZero,
        _ => null,
    };
}
