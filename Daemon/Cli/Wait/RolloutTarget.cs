namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// The version <c>--wait</c> follows: the spec hash the daemon answered to the apply or restart, and when the spec
/// fixes the replica count (no autoscaling), that count, so a stale status of the previous count never passes.
/// </summary>
internal sealed record RolloutTarget(string Name, string SpecHash, int? Replicas);
