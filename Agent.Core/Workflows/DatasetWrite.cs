namespace GradientNode.Core.Workflows;

/// <summary>
/// A version being written: the dataset, the host folder a job writes into (mounted writable), and the store's own
/// handle for it. Kept in the run's state so a daemon restart can still commit or abort it.
/// </summary>
public sealed record DatasetWrite(string Name, string? Message, string StagingPath, string Handle);
