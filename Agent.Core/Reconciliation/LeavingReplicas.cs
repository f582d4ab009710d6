using System.Collections.Concurrent;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// The old replicas a rollout replaced whose stop is still under way. <see cref="PlanExecutor"/> stops them past the end of
/// its pass, so the next pass can go on with the rollout (the next index) while an app that ignores SIGTERM takes the
/// whole grace; before, every index waited for the stop of the one before it, and a rollout of N such replicas took
/// N × the grace. As an overlay of <see cref="DeploymentObserver"/> (the last one) it shows each as leaving and not
/// ready, so the route table keeps it out of rotation and the planner leaves it alone until it is gone (once it has
/// exited, before its remove, as gone: not removed twice, nor journaled as a failure).
/// </summary>
public sealed class LeavingReplicas : IReplicaOverlay
{
    private readonly ConcurrentDictionary<string, Task> _stopping = new(StringComparer.Ordinal);

    /// <summary>How many stops are under way now.</summary>
    public int Count => _stopping.Count;

    public IReadOnlyList<ObservedReplica> Apply(string slug, DeploymentSpec? spec, string specHash, int port, IReadOnlyList<ObservedReplica> observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        // One that exited already (killed after its grace) is being removed: gone, as a pass that waited for it saw it.
        return _stopping.IsEmpty
            ? observed
            : [.. observed
                .Where(r => r.Running || !_stopping.ContainsKey(r.ContainerId))
                .Select(r => _stopping.ContainsKey(r.ContainerId) ? r with { Ready = false, Leaving = true } : r)];
    }

    /// <summary>Every stop under way, ended (tests, and a caller that must know they are done).</summary>
    public Task WhenStoppedAsync() => Task.WhenAll(_stopping.Values);

    /// <summary>
    /// Runs <paramref name="stop"/> in the background for <paramref name="containerId"/> unless one already runs for it;
    /// the container is leaving until it ends. Its exceptions are the stop's to handle (a cancellation is dropped).
    /// </summary>
    internal void Begin(string containerId, Func<Task> stop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_stopping.TryAdd(containerId, done.Task))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await stop().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The daemon stops: the container is left as it is, as a stop cut short in a pass would leave it.
            }
            finally
            {
                _stopping.TryRemove(containerId, out _);
                done.SetResult();
            }
        });
    }
}
