namespace GradientNode.Core.Reconciliation;

/// <summary>What <see cref="PlanExecutor"/> reports: why a new replica could not start, and the first replica waiting for GPUs.</summary>
public sealed record Execution(string? Error, string? GpuWait)
{
    /// <summary>The removal was called off while it drained (its spec came back): the running replicas it would have stopped still run.</summary>
    public bool CalledOff { get; init; }
}
