using GradientNode.Core.Specs;

namespace GradientNode.Core.Autoscaling;

/// <summary>
/// One metric's target and its current values over the stable and the short (panic) window. A null value means
/// no data (the metric is left out of the decision); 0 means idle (no requests, no CPU).
/// </summary>
public sealed record MetricReading(AutoscalingMetric Metric, double Target, double? Stable, double? Panic);
