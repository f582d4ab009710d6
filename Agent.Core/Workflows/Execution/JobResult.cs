using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>A job's end: its outcome, and the inputs and outputs status shows for it (outputs only when it succeeded).</summary>
public sealed record JobResult(JobOutcome Outcome, IReadOnlyDictionary<string, RunValue> Inputs, IReadOnlyDictionary<string, RunValue> Outputs);
