namespace GradientNode.Core.Health;

/// <summary>The last outcome of one probe of one replica, as shown in status (null fields before the first probe).</summary>
public sealed record ProbeStatus
{
    public string? LastResult { get; init; }

    public string? LastMessage { get; init; }

    public int ConsecutiveFailures { get; init; }

    public DateTimeOffset? LastProbedAt { get; init; }

    /// <summary>Set when the last failures look permanent (404, connection refused): the probe can likely never succeed.</summary>
    public string? Hint { get; init; }
}
