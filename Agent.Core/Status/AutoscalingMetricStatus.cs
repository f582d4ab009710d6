namespace GradientNode.Core.Status;

/// <summary>
/// One autoscaling metric in status: the target, the stable-window value (5 min for requestDuration, 1 min for cpu
/// and memory), the short-window value, which one decided, and the replica count it proposes. Values are null
/// without data; cpu and memory are in % of a replica's limit, requestDuration in seconds.
/// </summary>
public sealed record AutoscalingMetricStatus(
    string Metric,
    double Target,
    double? Value,
    double? ShortWindowValue,
    bool Panic,
    int? Proposal);
