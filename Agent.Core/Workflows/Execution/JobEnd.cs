using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>A final phase for a job, and the sentence status shows for it.</summary>
public sealed record JobEnd(WorkflowPhase Phase, string Message);
