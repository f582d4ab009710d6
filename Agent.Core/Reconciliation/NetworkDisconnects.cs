using GradientNode.Core.Engine;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Which of this node's deployments a network <c>disconnect</c> event concerns. A replica taken off its network
/// (<c>docker network disconnect</c>) keeps running with no address, and its own event stream says nothing (network
/// events carry the network's labels, not the container's): before, nothing looked at it until the once-a-minute full
/// resync, and the proxy sent it requests that hung meanwhile. The container is inspected: one of another node, or one
/// already gone (the disconnect that comes with every removal), concerns none.
/// </summary>
public static class NetworkDisconnects
{
    public static async Task<string?> DeploymentOfAsync(IContainerEngine engine, string nodeName, EngineEvent change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(change);
        if (!string.Equals(change.Type, "network", StringComparison.Ordinal)
            || !string.Equals(change.Action, "disconnect", StringComparison.Ordinal)
            || !change.Attributes.TryGetValue("container", out var id)
            || string.IsNullOrEmpty(id))
        {
            return null;
        }

        var details = await engine.InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
        return details is not null
            && string.Equals(details.Labels.GetValueOrDefault(ContainerLabels.Node), nodeName, StringComparison.Ordinal)
            && details.Labels.GetValueOrDefault(ContainerLabels.Deployment) is { Length: > 0 } slug
                ? slug
                : null;
    }
}
