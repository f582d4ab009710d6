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

    public bool Ready { get; init; }

    /// <summary>How many times this replica index was restarted (label <c>gradient.restarts</c>).</summary>
    public int Restarts { get; init; }

    /// <summary>Consecutive short-lived runs before this container (label <c>gradient.crashes</c>); drives the backoff.</summary>
    public int Crashes { get; init; }
}
