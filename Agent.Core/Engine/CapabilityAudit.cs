using System.Collections.Concurrent;

namespace GradientNode.Core.Engine;

/// <summary>
/// Finds the node's running containers that still hold a capability every container is now created without
/// (<see cref="ContainerCapabilities.Dropped"/>): replicas and jobs an earlier version of the node started keep
/// <c>NET_RAW</c> until they are replaced, and <c>gradient-node node</c> names them (docs/design/security.md). The
/// reconciler replaces such replicas by itself through a rolling update (<see cref="Reconciliation.CreationDrift"/>), so
/// the warning clears once each successor is ready; a workflow job is not restarted mid-run and stays named until it ends.
/// A container's capabilities never change, so each is inspected once; the answers are kept for the containers that
/// still run.
/// </summary>
public sealed class CapabilityAudit(string nodeName)
{
    private readonly ConcurrentDictionary<string, bool> _holdsDropped = new(StringComparer.Ordinal);

    /// <summary>One warning naming the deployments and workflows whose running containers hold a dropped capability; null when none do.</summary>
    public async Task<string?> WarningAsync(IContainerEngine containers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(containers);
        return await WarningAsync(containers, await containers.ListContainersAsync([$"{ContainerLabels.Node}={nodeName}"], cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The same, from a listing of the node's containers already made (<c>gradient.node=NAME</c>).</summary>
    public async Task<string?> WarningAsync(IContainerEngine containers, IReadOnlyList<ContainerSummary> nodeContainers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(containers);
        ArgumentNullException.ThrowIfNull(nodeContainers);
        var running = nodeContainers
            .Where(c => c.State == "running" && (c.Labels.ContainsKey(ContainerLabels.Deployment) || c.Labels.ContainsKey(ContainerLabels.Workflow)))
            .ToList();
        foreach (var gone in _holdsDropped.Keys.Except(running.Select(c => c.Id), StringComparer.Ordinal))
        {
            _holdsDropped.TryRemove(gone, out _);
        }

        var holding = new List<ContainerSummary>();
        foreach (var container in running)
        {
            if (!_holdsDropped.TryGetValue(container.Id, out var holds))
            {
                var details = await containers.InspectContainerAsync(container.Id, cancellationToken).ConfigureAwait(false);
                if (details is null)
                {
                    continue; // removed since the list
                }

                holds = ContainerCapabilities.HeldDespite(details.CapDrop).Count > 0;
                _holdsDropped[container.Id] = holds;
            }

            if (holds)
            {
                holding.Add(container);
            }
        }

        if (holding.Count == 0)
        {
            return null;
        }

        var names = holding.Select(NameOf).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return $"{holding.Count} container(s) of {string.Join(", ", names)} run with {string.Join(", ", ContainerCapabilities.Dropped)} "
            + "(created by an earlier version of the node): they can open packet sockets and answer for other replicas' addresses "
            + "until they are replaced (the node replaces a deployment's replicas by a rolling update, each once its successor is ready: "
            + "see its status; a workflow job's container when its run ends)";
    }

    private static string NameOf(ContainerSummary c) =>
        c.Labels.TryGetValue(ContainerLabels.Deployment, out var deployment)
            ? c.Labels.GetValueOrDefault(ContainerLabels.Name) ?? deployment
            : $"workflow {c.Labels[ContainerLabels.Workflow]}";
}
