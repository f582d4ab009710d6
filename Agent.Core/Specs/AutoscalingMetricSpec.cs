namespace GradientNode.Core.Specs;

/// <summary>One autoscaling target: cpu/memory in percent, requestDuration in seconds (min 0.01).</summary>
public sealed record AutoscalingMetricSpec(AutoscalingMetric Metric, string Summary, double Value);
