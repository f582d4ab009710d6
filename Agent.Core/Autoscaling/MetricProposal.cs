using GradientNode.Core.Specs;

namespace GradientNode.Core.Autoscaling;

/// <summary>What one metric proposes: the value it used (stable or panic window), and the replica count (null: no data).</summary>
public sealed record MetricProposal(AutoscalingMetric Metric, double Target, double? Value, bool Panic, int? Replicas);
