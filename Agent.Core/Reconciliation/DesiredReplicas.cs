namespace GradientNode.Core.Reconciliation;

/// <summary>
/// What the planner needs of a spec: how many replicas, of which container hash (empty hash = none wanted), and for
/// a rollout, when it last made progress (a new replica became ready, or it began) and how long it may stall.
/// </summary>
public sealed record DesiredReplicas(int Count, string SpecHash, string Reason = "")
{
    public static readonly TimeSpan DefaultProgressDeadline = TimeSpan.FromMinutes(10);

    public TimeSpan ProgressDeadline { get; init; } = DefaultProgressDeadline;

    /// <summary>
    /// The hash of the spec's <c>healthChecks</c> (<see cref="ProbesHasher"/>); null where no spec is wanted. A rollout is to
    /// this and <see cref="SpecHash"/> together (<see cref="RolloutTracker"/>): a new change of the probes alone starts a new
    /// rollout with its own progress deadline.
    /// </summary>
    public string? ProbesHash { get; init; }

    /// <summary>Null: the planner treats the rollout as just started.</summary>
    public DateTimeOffset? RolloutProgressAt { get; init; }

    public static DesiredReplicas None(string reason) => new(0, string.Empty, reason);
}
