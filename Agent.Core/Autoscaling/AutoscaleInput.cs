namespace GradientNode.Core.Autoscaling;

/// <summary>
/// Everything one decision needs. <see cref="Current"/> is the desired count now (starting replicas included);
/// <see cref="Ready"/> counts the replicas whose metrics are in <see cref="Readings"/>.
/// </summary>
public sealed record AutoscaleInput(
    int Min,
    int Max,
    int Current,
    int Ready,
    IReadOnlyList<MetricReading> Readings,
    IReadOnlyList<Recommendation> History,
    IReadOnlyList<ScaleEvent> Events,
    DateTimeOffset Now);
