namespace GradientNode.Core.Reconciliation;

/// <summary>A rollout in progress: to which hash, from which, when a new replica last became ready and how many are.</summary>
public sealed record RolloutTrack(string ToHash, IReadOnlyList<string> FromHashes, DateTimeOffset LastProgress, int ReadyNew);
