namespace GradientNode.Core.Workflows.Execution;

/// <summary>When a running job is stopped and FAILED, and the sentence that says why (the job's own timeout or the run's).</summary>
public sealed record JobDeadline(DateTimeOffset At, string Message);
