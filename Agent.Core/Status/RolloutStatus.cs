namespace GradientNode.Core.Status;

/// <summary>A rollout from old spec hashes to <see cref="ToHash"/>: <c>Progressing</c> or <c>Failed</c> (the old version keeps serving).</summary>
public sealed record RolloutStatus(string State, string ToHash, IReadOnlyList<string> FromHashes, DateTimeOffset LastProgress, string? Message)
{
    /// <summary>
    /// Why replicas of <see cref="ToHash"/> itself roll: <c>replacing replicas created with NET_RAW by an earlier version of
    /// the node</c> (the node replaces them by itself); null when only a spec change rolls.
    /// </summary>
    public string? Reason { get; init; }
}
