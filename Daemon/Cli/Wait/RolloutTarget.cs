namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// The version <c>--wait</c> follows: the spec hash the daemon answered to the apply or restart, and when the spec
/// fixes the replica count (no autoscaling), that count, so a stale status of the previous count never passes. With
/// autoscaling, <see cref="Replicas"/> is the least the autoscaler runs and <see cref="MaxReplicas"/> the most: the
/// node holds its count inside them at once, so a status whose count lies outside (taken before the new bounds were)
/// does not pass either (newuser14: raising <c>replicas</c> from 2 to 3 ended with "rolled out: 2/2" before replica 2 started).
/// </summary>
internal sealed record RolloutTarget(string Name, string SpecHash, int? Replicas, int? MaxReplicas = null);
