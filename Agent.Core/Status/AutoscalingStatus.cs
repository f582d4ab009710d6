namespace GradientNode.Core.Status;

/// <summary>
/// The autoscaler's view of a deployment (<c>status.autoscaling</c>): bounds, the desired count it runs, its latest
/// recommendation and each metric, and the recent scaling events with their reasons.
/// </summary>
public sealed record AutoscalingStatus
{
    public int MinReplicas { get; init; }

    public int MaxReplicas { get; init; }

    public int DesiredReplicas { get; init; }

    /// <summary>The highest metric proposal, bounded; scale-down waits for the stabilization window.</summary>
    public int Recommendation { get; init; }

    /// <summary>True while a short-window value is at least twice its target (panic mode).</summary>
    public bool Panic { get; init; }

    public IReadOnlyList<AutoscalingMetricStatus> Metrics { get; init; } = [];

    public ScaleEventStatus? LastScale { get; init; }

    /// <summary>
    /// The last changes of the count, oldest first (at most <c>AutoscaleState.EventsKept</c>, kept across daemon
    /// restarts); the last one is <see cref="LastScale"/>.
    /// </summary>
    public IReadOnlyList<ScaleEventStatus> Scales { get; init; } = [];

    /// <summary>Why no decision could be made (no ready replica, no data), else null.</summary>
    public string? Note { get; init; }

    public DateTimeOffset? EvaluatedAt { get; init; }
}
