using GradientNode.Core.Health;

namespace GradientNode.Core.Reconciliation;

/// <summary>A replica container as Docker reports it (found by label), plus whether it accepts connections.</summary>
public sealed record ObservedReplica
{
    public required string ContainerId { get; init; }

    public required string ContainerName { get; init; }

    public required int Index { get; init; }

    public required string SpecHash { get; init; }

    public required bool Running { get; init; }

    /// <summary>Docker's state word: created, running, exited, dead, …</summary>
    public required string State { get; init; }

    /// <summary>The exit code of a stopped container, or for a running one, its predecessor's.</summary>
    public int? ExitCode { get; init; }

    public string? IpAddress { get; init; }

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>
    /// The port the replica serves on: its <see cref="Engine.ContainerLabels.Port"/> label (the first port of the spec it was
    /// created from), else (a container from before the label) the current spec's first port.
    /// </summary>
    public int? Port { get; init; }

    /// <summary>In rotation: the readiness probe passed last, or without one, the first port accepts TCP (and any startup probe passed).</summary>
    public bool Ready { get; init; }

    /// <summary>
    /// Why the TCP check of a replica without a readiness probe failed, e.g. <c>port 7777 refuses connections</c>; null when
    /// it passed or was not made.
    /// </summary>
    public string? NotReadyReason { get; init; }

    /// <summary>
    /// Running but frozen by <c>docker pause</c>: never ready (<see cref="ReplicaObserver.Paused"/>), whatever its last
    /// probe said, until it is unpaused.
    /// </summary>
    public bool Paused { get; init; }

    /// <summary>A stopped container the kernel killed for going over its memory limit (the engine's <c>OOMKilled</c>).</summary>
    public bool OomKilled { get; init; }

    /// <summary>The container's memory limit in bytes (its machine type's memory), 0 when unknown: an out-of-memory kill names it.</summary>
    public long MemoryLimit { get; init; }

    /// <summary>Taken out of rotation by this pass because the plan stops it (scale-down, rollout): it drains, then stops.</summary>
    public bool Leaving { get; init; }

    /// <summary>The probes' view of a running container with health checks; null otherwise.</summary>
    public HealthSnapshot? Health { get; init; }

    /// <summary>"GPU lost: …" when <c>nvidia-smi -L</c> in the container says its GPU is gone; null otherwise.</summary>
    public string? GpuLoss { get; init; }

    /// <summary>
    /// <see cref="ReplicaObserver.NoAddress"/> when the container runs with no network address (its network was disconnected
    /// or removed under it): it can never be reached, so it is replaced; null otherwise.
    /// </summary>
    public string? NetworkLoss { get; init; }

    /// <summary>
    /// Why the node stopped this exited container itself (a startup or liveness probe past its threshold, a lost GPU or
    /// network address), from <see cref="NodeStopStore"/>; null when it ended on its own.
    /// </summary>
    public string? StoppedByNode { get; init; }

    /// <summary>
    /// How the container's security-relevant creation settings differ from what this version creates
    /// (<see cref="CreationDrift"/>), e.g. <c>created with NET_RAW by an earlier version of the node</c>; null when they do not.
    /// </summary>
    public string? Drift { get; init; }

    /// <summary>
    /// The hash of the <c>healthChecks</c> the container was created with (label <see cref="Engine.ContainerLabels.ProbesHash"/>,
    /// <see cref="ProbesHasher"/>); null for a container created by a node before the label. A running replica whose hash
    /// differs from the spec's is given a <see cref="Drift"/> (<see cref="HealthOverlay"/>) and rolled out.
    /// </summary>
    public string? ProbesHash { get; init; }

    /// <summary>
    /// Created with other <c>healthChecks</c> than the spec's (<see cref="HealthOverlay"/>), running or not. Unlike the
    /// <c>NET_RAW</c> drift, an exited replica of other probes is out of date too: its crash backoff ends, and its successor
    /// is created at once with the new probes, as for a change of the spec hash (a liveness probe that killed it may be the
    /// very thing the change fixes).
    /// </summary>
    public bool ProbesOutdated { get; init; }

    /// <summary>
    /// Of the version <paramref name="specHash"/> as this node creates it: its hash, and while it runs, no
    /// <see cref="Drift"/>. A running replica with drift is out of date and rolled like an old hash's; an exited one is
    /// still its version's (its crash backoff holds, and its successor is created as this version creates one), unless it
    /// was created with other probes (<see cref="ProbesOutdated"/>).
    /// </summary>
    public bool IsCurrent(string specHash) => SpecHash == specHash && !ProbesOutdated && (Drift is null || !Running);

    /// <summary>Set when the container lost its GPU or its network, or a startup or liveness probe failed its threshold: the container is replaced.</summary>
    public string? RestartReason => GpuLoss ?? NetworkLoss ?? Health?.RestartReason;

    /// <summary>How many times this replica index was restarted (label <c>gradient.restarts</c>).</summary>
    public int Restarts { get; init; }

    /// <summary>Consecutive short-lived runs before this container (label <c>gradient.crashes</c>); drives the backoff.</summary>
    public int Crashes { get; init; }

    /// <summary>The GPU UUIDs the container was given (label <c>gradient.gpus</c>); empty for CPU types.</summary>
    public IReadOnlyList<string> Gpus { get; init; } = [];
}
