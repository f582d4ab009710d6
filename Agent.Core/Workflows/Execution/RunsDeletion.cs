using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>What <see cref="WorkflowService.DeleteEndedAsync"/> did: the runs deleted, and those left because they have not ended (as they are now).</summary>
public sealed record RunsDeletion(IReadOnlyList<int> Deleted, IReadOnlyList<RunRecord> NotEnded);
