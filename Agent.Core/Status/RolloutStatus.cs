namespace GradientNode.Core.Status;

/// <summary>A rollout from old spec hashes to <see cref="ToHash"/>: <c>Progressing</c> or <c>Failed</c> (the old version keeps serving).</summary>
public sealed record RolloutStatus(string State, string ToHash, IReadOnlyList<string> FromHashes, DateTimeOffset LastProgress, string? Message);
