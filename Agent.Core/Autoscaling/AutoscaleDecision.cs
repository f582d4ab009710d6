namespace GradientNode.Core.Autoscaling;

/// <summary>
/// The outcome of one evaluation: the new desired count, the raw recommendation (highest proposal, bounded),
/// each metric's proposal, the history to keep, and the scale event when the count changed.
/// <see cref="Note"/> says why nothing could be decided (no ready replica, no data), else null.
/// </summary>
public sealed record AutoscaleDecision(
    int Desired,
    int Recommendation,
    bool Panic,
    IReadOnlyList<MetricProposal> Proposals,
    IReadOnlyList<Recommendation> History,
    ScaleEvent? Event,
    string? Note);
