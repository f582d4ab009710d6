namespace GradientNode.Core.Reconciliation;

/// <summary>One background pull of <see cref="ImagePuller"/>: its progress, who waits for it, and its failures.</summary>
internal sealed class PullJob(PullAggregate aggregate)
{
    public PullAggregate Aggregate { get; } = aggregate;

    /// <summary>The deployments waiting for this pull, with the spec version each waits with.</summary>
    public Dictionary<string, string> Waiters { get; } = new(StringComparer.Ordinal);

    public bool Running { get; set; }

    public string? Error { get; set; }

    /// <summary>
    /// The registry answered the last failure itself (credentials refused, no such image): no outage, so a local image
    /// never stands in for it.
    /// </summary>
    public bool RegistryAnswered { get; set; }

    public int Failures { get; set; }

    /// <summary>When the next attempt may start: a monotonic timestamp (<see cref="Common.MonotonicTime"/>).</summary>
    public long RetryAt { get; set; }
}
