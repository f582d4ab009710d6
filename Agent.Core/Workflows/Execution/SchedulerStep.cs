using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>
/// What <see cref="DagScheduler"/> decided: jobs that may start now (in file order), pending jobs that end without
/// running (skipped or canceled, with why), and the run's phase once every job has one that is final.
/// </summary>
public sealed record SchedulerStep(
    IReadOnlyList<string> Ready,
    IReadOnlyDictionary<string, JobEnd> Ends,
    WorkflowPhase? RunPhase,
    string? RunMessage);
