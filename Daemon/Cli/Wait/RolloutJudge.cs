using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;

namespace GradientNode.Daemon.Cli.Wait;

/// <summary>
/// Decides from one status snapshot whether the target version rolled out (every replica on its spec hash and ready),
/// failed (state Failed or Invalid, an error blocks it while an older version serves, the progress deadline passed,
/// or one of its replicas crashed, ended on its own with code 0 or was stopped by the node for a failed probe), or is still going (also while the
/// proxy's route table has not caught up with the replicas, <see cref="DeploymentStatus.Routed"/>). Pure.
/// </summary>
internal static class RolloutJudge
{
    public static RolloutVerdict Judge(RolloutTarget target, DeploymentStatus status)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(status);
        if (status.State == DeploymentState.Invalid)
        {
            return Failed($"{status.Message}{string.Concat(status.Errors.Select(e => "\n  " + e))}");
        }

        if (!PickedUp(target, status))
        {
            // The daemon has not picked the new version up yet.
            return RolloutVerdict.Pending;
        }

        if (status.Rollout is { State: "Failed" } rollout)
        {
            return Failed($"rollout failed: {rollout.Message ?? status.Message}");
        }

        if (status.State == DeploymentState.Failed)
        {
            return Failed(status.Message);
        }

        if (status.Blocked is { } blocked)
        {
            // An older version serves (Degraded), but the target cannot start until someone acts (or a retry succeeds).
            return Failed($"{blocked} (the replicas already running keep running)");
        }

        // A replica the node stopped because a probe failed (startup, liveness) is restarted with backoff as a crash is,
        // and exits 0 when the app ends cleanly on SIGTERM: before, --wait followed it until the progress deadline (10 min).
        // Asked before a crash: one that exits 143 on SIGTERM was stopped by the node, it did not crash.
        if (status.Replicas.FirstOrDefault(i => i.Current && i.State is "exited" or "dead" && StoppedBecause(i) is not null) is { } stopped)
        {
            return Failed($"replica {stopped.Index} was stopped by the node: {StoppedBecause(stopped)} ({status.Message}){LastLines(stopped)}");
        }

        if (status.Replicas.FirstOrDefault(i => i.Current && i.State is "exited" or "dead" && i.LastExitCode is not (null or 0)) is { } crashed)
        {
            return Failed($"replica {crashed.Index} crashed: exited with code {crashed.LastExitCode} ({status.Message}){LastLines(crashed)}");
        }

        // A deployment's process must keep running: one that ends on its own with code 0 (a script, a server that went to
        // the background) is restarted with backoff as a crash is. Before, --wait followed it to the progress deadline (10
        // min) as if still starting. One the node drained (a scale-down, a rollout) has a stopping entry of its own.
        if (status.Replicas.FirstOrDefault(i => i.Current && i.State is "exited" or "dead" && i.LastExitCode == 0 && !StoppedByTheNode(i)) is { } ended)
        {
            return Failed($"replica {ended.Index} ended on its own: exited with code 0, but a deployment's process must keep running ({status.Message}){LastLines(ended)}");
        }

        var settled = status.State switch
        {
            DeploymentState.Ready => status.Replicas.All(i => i.Current && i.Ready) && status.Replicas.Count == status.DesiredReplicas,
            DeploymentState.Disabled => status.Replicas.Count == 0,
            _ => false,
        };
        if (!settled)
        {
            return RolloutVerdict.Pending;
        }

        // The proxy's route table may lag the status by the publisher's window: "rolled out … at http://…" is said once a
        // request sent now reaches these replicas (before, it could get the proxy's 404 "no deployment" for a moment).
        if (status.Routed == false)
        {
            return RolloutVerdict.Pending;
        }

        // "deployment 'zero' is scaled to 0 (resources.replicas: 0)", not the status's own "deployment scaled …" after the name.
        var message = status.State == DeploymentState.Disabled && status.Message.StartsWith("deployment ", StringComparison.Ordinal)
            ? $"is {status.Message["deployment ".Length..]}"
            : status.Message;
        return new RolloutVerdict(RolloutOutcome.RolledOut, message);
    }

    /// <summary>
    /// Whether <paramref name="status"/> describes the version and count <paramref name="target"/> asks for (the daemon picked
    /// the change up), not the state before it: the hash is the target's (none while nothing is wanted: a deployment that
    /// stops or runs none, when the target is none, or a restart's of one that runs none), and the count the target's. Before
    /// (known18), any Disabled status passed, so <c>scale NAME 2 --wait</c> of a deployment scaled to 0 first printed the
    /// stale <c>Disabled: … (replicas: 0)</c> as its state; and a stale count passed the display, so <c>scale NAME 3 --wait</c>
    /// showed the old <c>Ready: 2/2</c> as current.
    /// </summary>
    public static bool PickedUp(RolloutTarget target, DeploymentStatus status)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(status);
        var count = target.Replicas is not { } replicas || (target.MaxReplicas is { } most
            ? status.DesiredReplicas >= replicas && status.DesiredReplicas <= Math.Max(replicas, most)
            : status.DesiredReplicas == replicas);
        var none = status.SpecHash is null && status.DesiredReplicas == 0
            && (target.Replicas == 0 || (target.Replicas is null && status.State == DeploymentState.Disabled));
        return count && (status.SpecHash == target.SpecHash || none);
    }

    private static RolloutVerdict Failed(string message) => new(RolloutOutcome.Failed, message);

    /// <summary>Whether the node took this container out itself: a stopping entry for it (a drain too), or its state message says so.</summary>
    private static bool StoppedByTheNode(ReplicaStatus replica) =>
        replica.StateMessage?.StartsWith(StatusBuilder.StoppedByTheNode, StringComparison.Ordinal) == true
        || replica.History.Any(e => e.State == "stopping" && e.Message is { } m && m.StartsWith($"{replica.Container}: ", StringComparison.Ordinal));

    private static string LastLines(ReplicaStatus replica) =>
        replica.LastLogLines.Count > 0 ? $"\n  last log lines:{string.Concat(replica.LastLogLines.TakeLast(5).Select(l => "\n    " + l))}" : string.Empty;

    /// <summary>
    /// Why the node stopped this exited container (a failed startup or liveness probe, a lost GPU): its state message
    /// (<c>stopped by the node: …</c>, kept across daemon restarts), else the reason of its history's last <c>stopping</c>
    /// entry for it that has one (a later <c>draining</c> entry says none); null when it ended on its own or was only drained.
    /// </summary>
    private static string? StoppedBecause(ReplicaStatus replica)
    {
        if (replica.StateMessage is { } said && said.StartsWith(StatusBuilder.StoppedByTheNode, StringComparison.Ordinal))
        {
            return said[StatusBuilder.StoppedByTheNode.Length..];
        }

        // The observer's own "stopping: draining" entry for the same container can come after the executor's, which has the
        // reason: before, that later entry hid the node's reason, and a probe's stop read as a crash or as nothing at all.
        var prefix = $"{replica.Container}: ";
        return replica.History
            .Where(e => e.State == "stopping" && e.Message is { } m && m.StartsWith(prefix, StringComparison.Ordinal))
            .Select(e => e.Message![prefix.Length..])
            .LastOrDefault(reason => reason.Length > 0 && reason != StatusBuilder.Draining);
    }
}
