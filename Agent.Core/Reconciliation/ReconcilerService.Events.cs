using GradientNode.Core.Engine;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// The loop's own triggers: a spec change enqueues its deployment (and calls off a removal of it still draining), and
/// Docker's event stream, where a change to one of this node's containers enqueues its deployment.
/// </summary>
public sealed partial class ReconcilerService
{
    private void OnSpecsChanged(IReadOnlySet<string> slugs)
    {
        var entries = specs.Entries;
        var callOffs = new List<CancellationTokenSource>();
        lock (_gate)
        {
            // Published again: a removal of it still draining is called off (the pass enqueued below plans with the spec).
            callOffs.AddRange(slugs.Where(entries.ContainsKey)
                .Select(slug => _workers.TryGetValue(slug, out var running) ? running.CallOff : null)
                .OfType<CancellationTokenSource>());
        }

        foreach (var slug in slugs)
        {
            Enqueue(slug);
        }

        foreach (var callOff in callOffs)
        {
            try
            {
                // Outside the gate: the drain's continuation may run on this thread.
                callOff.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // That pass ended meanwhile: nothing left to call off.
            }
        }
    }

    private async Task WatchEventsAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in engine.WatchEventsAsync([$"{ContainerLabels.Node}={options.NodeName}"], cancellationToken).ConfigureAwait(false))
                {
                    if (change.Attributes.TryGetValue(ContainerLabels.Deployment, out var slug) && echoes?.NeedsReconcile(change) != false)
                    {
                        Enqueue(slug);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Any failure of the stream (not only the engine's typed ones) is retried: events must keep flowing.
                NoteEngineProblem(ex);
            }

            // The stream broke (dockerd restarting?): look at everything again once it is back.
            await Task.Delay(FailureBackoff.EngineRetry, time, cancellationToken).ConfigureAwait(false);
            await EnqueueAllAsync(full: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A replica taken off its network enqueues its deployment at once (<see cref="NetworkDisconnects"/>); the pass finds
    /// it without an address and replaces it. A broken stream is retried quietly: the container stream above reports an
    /// outage, and the resync enqueues everything when the engine is back.
    /// </summary>
    private async Task WatchNetworkDisconnectsAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in engine.WatchNetworkDisconnectsAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (await NetworkDisconnects.DeploymentOfAsync(engine, options.NodeName, change, cancellationToken).ConfigureAwait(false) is { } slug)
                    {
                        Enqueue(slug);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Retried below, as the container stream is.
            }

            await Task.Delay(FailureBackoff.EngineRetry, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
