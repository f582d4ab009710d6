namespace GradientNode.Core.Autoscaling;

/// <summary>
/// What the autoscaler holds for one deployment: the desired count the reconciler runs, the recommendations of the
/// stabilization window, recent scale events (newest last) and the last evaluation for status.
/// Only <see cref="Desired"/> and <see cref="Events"/> are persisted (a daemon restart keeps the count).
/// </summary>
public sealed record AutoscaleState(int Desired)
{
    public const int EventsKept = 10;

    public IReadOnlyList<Recommendation> History { get; init; } = [];

    public IReadOnlyList<ScaleEvent> Events { get; init; } = [];

    public AutoscaleDecision? LastDecision { get; init; }

    /// <summary>The metric values of the last evaluation (both windows), for status and /metrics.</summary>
    public IReadOnlyList<MetricReading> Readings { get; init; } = [];

    public DateTimeOffset? EvaluatedAt { get; init; }
}
