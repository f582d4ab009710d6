namespace GradientNode.Core.Reconciliation;

/// <summary>One deployment's reconcile loop in <see cref="ReconcilerService"/>: at most one in flight, requests coalesce.</summary>
internal sealed class ReconcileWorker
{
    /// <summary>Another pass was asked for while this one ran.</summary>
    public bool Dirty { get; set; }

    public Task? Task { get; set; }

    /// <summary>Cancelled when the deployment's spec is published again during the pass (<see cref="RemovalSignals.CalledOff"/>).</summary>
    public CancellationTokenSource? CallOff { get; set; }

    /// <summary>Unexpected failures in a row (for the backoff); reset by a reconcile that completes.</summary>
    public int Failures { get; set; }
}
