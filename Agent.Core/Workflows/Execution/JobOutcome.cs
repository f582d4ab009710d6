using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>How one attempt at a job ended; <see cref="Wait"/> means it did not start (no free GPUs) and stays PENDING.</summary>
public sealed record JobOutcome(WorkflowPhase Phase, string? Message = null, int? ExitCode = null)
{
    public static JobOutcome Succeeded(int? exitCode = 0) => new(WorkflowPhase.Succeeded, null, exitCode);

    public static JobOutcome Wait(string message) => new(WorkflowPhase.Pending, message);

    public bool IsWait => Phase == WorkflowPhase.Pending;
}
