namespace GradientNode.Core.Workflows.Runs;

/// <summary>One line of <c>workflows ls</c>: a workflow that has runs, with its newest.</summary>
public sealed record WorkflowSummary(string Name, int Runs, int LastRun, WorkflowPhase LastPhase, DateTimeOffset LastCreated);
