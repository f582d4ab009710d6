using GradientNode.Core.Engine;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Observes one deployment: reads its replicas by label (<see cref="ReplicaObserver"/>), applies the overlays
/// (probes, GPU loss) in order, journals each replica's state and keeps exited ones' last log lines (shown in status),
/// the deployment's secret values masked by <c>masks</c> (<see cref="SecretSnapshots.MaskFor"/>).
/// </summary>
public sealed class DeploymentObserver(
    ReplicaObserver observer,
    IReadOnlyList<IReplicaOverlay> overlays,
    ReplicaJournal journal,
    IContainerEngine engine,
    TimeProvider time,
    Func<string, DeploymentSpec?, LogMask>? masks = null)
{
    public async Task<IReadOnlyList<ObservedReplica>> ObserveAsync(string slug, DeploymentSpec? spec, string specHash, int port, CancellationToken cancellationToken)
    {
        var observed = await observer.ObserveAsync(slug, port, cancellationToken).ConfigureAwait(false);
        foreach (var overlay in overlays)
        {
            observed = overlay.Apply(slug, spec, specHash, port, observed);
        }

        var now = time.GetUtcNow();
        foreach (var replica in observed.Where(r => r.Index >= 0))
        {
            var id = $"{slug}-{replica.Index}";
            var (state, message) = StatusBuilder.Lifecycle(replica);
            journal.Record(id, state, message is null ? replica.ContainerName : $"{replica.ContainerName}: {message}", now);
            if (!replica.Running && replica.State != "created" && !journal.HasLogsOf(id, replica.ContainerId))
            {
                // Also without a spec (deleted, its replicas still stopping): the mask then hides every secret's value.
                var mask = masks?.Invoke(slug, spec) ?? LogMask.None;
                journal.SetLastLogLines(id, replica.ContainerId, await TailAsync(replica.ContainerId, mask, cancellationToken).ConfigureAwait(false));
            }
        }

        return observed;
    }

    private async Task<IReadOnlyList<string>> TailAsync(string containerId, LogMask mask, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        try
        {
            await foreach (var line in engine.GetLogsAsync(containerId, new LogOptions(Tail: ReplicaJournal.LogLines), cancellationToken).ConfigureAwait(false))
            {
                lines.Add(mask.Apply(line.Text));
            }
        }
        catch (EngineException)
        {
            // Gone already: no lines.
        }

        return lines.Count > ReplicaJournal.LogLines ? lines[^ReplicaJournal.LogLines..] : lines;
    }
}
