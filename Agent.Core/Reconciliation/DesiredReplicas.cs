using GradientNode.Core.Specs;

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

    /// <summary>The reason, and the Disabled state's message, of a spec with <c>enabled: false</c>.</summary>
    public const string DisabledReason = "deployment disabled (enabled: false)";

    /// <summary>
    /// The reason, and the Disabled state's message, of a spec with <c>replicas: 0</c> (and <c>enabled: true</c>): scaled to
    /// zero, not switched off. Before, "deployment disabled (replicas: 0)" read as <c>enabled: false</c> in <c>ls</c>, <c>get</c>,
    /// the console and <c>scale 0 --wait</c> while the file said <c>enabled: true</c> (known18).
    /// </summary>
    public const string ScaledToZeroReason = "deployment scaled to 0 (resources.replicas: 0)";

    /// <summary>None, with its reason, for a spec that runs no replica on purpose (<see cref="DeploymentSpec.IsDisabled"/>); null for one that runs some.</summary>
    public static DesiredReplicas? Idle(DeploymentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec switch
        {
            { Enabled: false } => None(DisabledReason),
            { Resources.Replicas: 0 } => None(ScaledToZeroReason),
            _ => null,
        };
    }
}
