namespace GradientNode.Core.Reconciliation;

/// <summary>Waits until the proxy has no requests in flight on replicas leaving rotation, bounded by <see cref="Timeout"/>.</summary>
public interface IDrainWait
{
    TimeSpan Timeout { get; }

    /// <summary>Returns the requests still in flight when it gave up (0: drained).</summary>
    Task<long> WaitAsync(string slug, IReadOnlyList<ObservedReplica> leaving, DateTimeOffset leftRotationAt, CancellationToken cancellationToken);
}
