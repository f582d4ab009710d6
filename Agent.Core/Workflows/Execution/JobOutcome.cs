using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>How one attempt at a job ended; <see cref="Wait"/> means it did not start (no free GPUs) and stays PENDING.</summary>
/// <param name="Ended">When the job's container exited, as the engine says (null: when the node saw it end). A job whose
/// container ended while the daemon was down ends then, not at the restart that found it.</param>
public sealed record JobOutcome(WorkflowPhase Phase, string? Message = null, int? ExitCode = null, DateTimeOffset? Ended = null)
{
    public static JobOutcome Succeeded(int? exitCode = 0) => new(WorkflowPhase.Succeeded, null, exitCode);

    public static JobOutcome Wait(string message) => new(WorkflowPhase.Pending, message);

    public bool IsWait => Phase == WorkflowPhase.Pending;
}
