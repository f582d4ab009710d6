using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>Ends a job with <see cref="Phase"/> (FAILED or ERROR) and a message for status; never carries a secret value.</summary>
public sealed class JobFailedException : Exception
{
    public JobFailedException()
    {
    }

    public JobFailedException(string message)
        : base(message)
    {
    }

    public JobFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public JobFailedException(WorkflowPhase phase, string message)
        : base(message)
    {
        Phase = phase;
    }

    public WorkflowPhase Phase { get; } = WorkflowPhase.Error;
}
