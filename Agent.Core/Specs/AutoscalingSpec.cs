using GradientNode.Core.Common;

namespace GradientNode.Core.Specs;

/// <summary><c>resources.autoscaling</c>: <c>replicas</c> is the minimum and <see cref="MaxReplicas"/> the maximum.</summary>
public sealed record AutoscalingSpec(bool Enabled, int MaxReplicas, EquatableArray<AutoscalingMetricSpec> Metrics);
