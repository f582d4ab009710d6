using GradientNode.Core.Engine;
using GradientNode.Core.Networking;

namespace GradientNode.Core.Reconciliation;

// A replica's create and start, and what is done when the engine no longer has the replica network they name.
public sealed partial class PlanExecutor
{
    /// <summary>
    /// Creates and starts the container. When the engine no longer has the replica network it names
    /// (<see cref="NetworkNotFoundException"/>: another node on this engine removed it as it stopped with nothing on it,
    /// <see cref="ReplicaNetwork.ReleaseAsync"/>), the network is made again, with its host rule, and the replica created
    /// and started once more on it, instead of failing until the next pass. dockerd resolves a container's network when it
    /// starts the container (20.10 creates one on a network that is gone and refuses its start), so the refusal comes from
    /// either call: a container created on the network that is gone is removed before the new one takes its name.
    /// </summary>
    private async Task CreateAndStartOnTheNetworkAsync(ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await CreateAndStartAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (NetworkNotFoundException) when (network is not null && request.NetworkMode is not null)
        {
            network.Invalidate();
            var again = await network.EnsureAsync(cancellationToken).ConfigureAwait(false);
            if (again.Error is not null || again.NetworkMode is null || again.NetworkMode == request.NetworkMode)
            {
                throw;
            }

            await CreateAndStartAsync(request with { NetworkMode = again.NetworkMode }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One create and its start; a container created whose start failed is removed again.</summary>
    private async Task CreateAndStartAsync(ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        // This pass observes the replica after it starts: the engine's create and start events add nothing.
        echoes?.Expect(request.Name, "create");
        echoes?.Expect(request.Name, "start");
        var id = await engine.CreateContainerAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            await engine.StartContainerAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException)
        {
            // A container that was created but never started would only confuse the next plan. Its destroy event is our
            // own echo: as a trigger it would retry the start at once, again and again, instead of after the error recheck.
            echoes?.Expect(request.Name, "destroy");
            await RemoveQuietlyAsync(id, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }
}
