using GradientNode.Core.Traffic;

namespace GradientNode.Core.Status;

/// <summary>One replica container as observed.</summary>
public sealed record ReplicaStatus
{
    /// <summary><c>&lt;slug&gt;-&lt;index&gt;</c>: stable across replacements of the container.</summary>
    public required string Id { get; init; }

    public required int Index { get; init; }

    /// <summary>The container name, <c>gradient-&lt;slug&gt;-&lt;index&gt;-&lt;short&gt;</c>.</summary>
    public required string Container { get; init; }

    public required string ContainerId { get; init; }

    /// <summary>Docker's state: created, running, exited, …</summary>
    public required string State { get; init; }

    public required bool Ready { get; init; }

    public int Restarts { get; init; }

    public int? LastExitCode { get; init; }

    /// <summary><c>ip:port</c> on the container bridge (first app port), or null when not running.</summary>
    public string? Address { get; init; }

    public IReadOnlyList<string> Gpus { get; init; } = [];

    public required string SpecHash { get; init; }

    /// <summary>Why the instance is in its state (e.g. the probe failure that took it out of rotation or restarted it).</summary>
    public string? StateMessage { get; init; }

    /// <summary>Probe results, or null when the spec has no health checks (readiness is then the TCP check).</summary>
    public ReplicaHealthStatus? Health { get; init; }

    /// <summary>
    /// When Docker last saw the container change state: the latest of its created, started and finished times. From the
    /// engine, so it survives a daemon restart (which empties <see cref="History"/>); null when Docker gave none.
    /// </summary>
    public DateTimeOffset? StateChangedAt { get; init; }

    /// <summary>Lifecycle states, oldest first (bounded, kept in memory across container replacements).</summary>
    public IReadOnlyList<ReplicaEvent> History { get; init; } = [];

    /// <summary>The last log lines of this instance's last exited container.</summary>
    public IReadOnlyList<string> LastLogLines { get; init; } = [];

    /// <summary>False while an old-spec replica still serves during a replacement.</summary>
    public bool Current { get; init; } = true;

    /// <summary>
    /// Why this running replica is out of date although its spec hash is current: its creation settings differ from what
    /// this version of the node creates (<c>created with NET_RAW by an earlier version of the node</c>), so the node
    /// replaces it by a rolling update (<see cref="Reconciliation.CreationDrift"/>); null otherwise.
    /// </summary>
    public string? Drift { get; init; }

    /// <summary>
    /// Set while the proxy has this replica out of rotation because it did not accept a connection (its passive health,
    /// from <c>proxy-stats.json</c>): since when, until when (it is tried again then) and the connect error. Null otherwise.
    /// </summary>
    public RotationOut? OutOfRotation { get; init; }
}
