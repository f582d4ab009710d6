using GradientNode.Core.Status;

namespace GradientNode.Core.Routing;

/// <summary>
/// Why a deployment has no ready replica, in words the proxy may show any network client whose held request timed out
/// (the 503's body). It is a category, never the status's own message: that can name images, registries, hosts and
/// secrets, which are the node's business, not a client's. Null while a replica is ready (nothing to explain, and the
/// route table does not change with it).
/// </summary>
public static class HoldReason
{
    public static string? Of(DeploymentStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.Replicas.Any(replica => replica.Ready))
        {
            return null;
        }

        if (status.Blocked is not null || status.State == DeploymentState.Failed)
        {
            return $"its replicas cannot start now; the node's status says why (gradient-node get {status.Name})";
        }

        if (status.Pull is not null)
        {
            return "its image is being pulled";
        }

        if (status.Volumes.Any(volume => volume.State == "fetching"))
        {
            return "its volumes (models, datasets, integrations) are being fetched";
        }

        var current = status.Replicas.Where(replica => replica.Current).ToList();
        var running = current.Count(replica => replica.State == "running");
        if (running > 0)
        {
            return running == 1
                ? "1 replica is running but has not passed its readiness check yet"
                : $"{running} replicas are running but none has passed its readiness check yet";
        }

        return current.Any(replica => replica.State is "exited" or "dead" or "restarting")
            ? "its replicas exited and are being restarted"
            : "its replicas are starting";
    }
}
