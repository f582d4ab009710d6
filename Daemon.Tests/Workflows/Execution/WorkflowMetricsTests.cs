using System.Text;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

[TestFixture]
[Category("Unit")]
internal sealed class WorkflowMetricsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 4, 0, 0, TimeSpan.Zero);

    [Test]
    public void Write_RunsAndJobs_CountsByPhaseAndSumsFinishedJobDurations()
    {
        WorkflowRunStatus[] runs =
        [
            Run(1, WorkflowPhase.Succeeded, ("a", Job(WorkflowPhase.Succeeded, 2)), ("b", Job(WorkflowPhase.Succeeded, 3.5))),
            Run(2, WorkflowPhase.Failed, ("a", Job(WorkflowPhase.Failed, 1)), ("b", new JobStatus { Phase = WorkflowPhase.Skipped, Finished = T0 })),
            Run(3, WorkflowPhase.Running, ("a", new JobStatus { Phase = WorkflowPhase.Running, Started = T0 }), ("b", new JobStatus())),
        ];
        var text = new StringBuilder();

        WorkflowMetrics.Write(text, runs);

        var lines = text.ToString().Split('\n');
        Assert.That(lines, Is.SupersetOf(new[]
        {
            "gradient_workflow_runs{phase=\"SUCCEEDED\"} 1",
            "gradient_workflow_runs{phase=\"FAILED\"} 1",
            "gradient_workflow_runs{phase=\"RUNNING\"} 1",
            "gradient_workflow_runs{phase=\"PENDING\"} 0",
            "gradient_workflow_jobs{phase=\"SUCCEEDED\"} 2",
            "gradient_workflow_jobs{phase=\"FAILED\"} 1",
            "gradient_workflow_jobs{phase=\"SKIPPED\"} 1",
            "gradient_workflow_jobs{phase=\"RUNNING\"} 1",
            "gradient_workflow_jobs{phase=\"PENDING\"} 1",
            "gradient_workflow_job_duration_seconds_sum{phase=\"SUCCEEDED\"} 5.5",
            "gradient_workflow_job_duration_seconds_count{phase=\"SUCCEEDED\"} 2",
            "gradient_workflow_job_duration_seconds_sum{phase=\"FAILED\"} 1",
            "gradient_workflow_job_duration_seconds_count{phase=\"FAILED\"} 1",
        }));
        Assert.That(lines, Has.None.StartsWith("gradient_workflow_job_duration_seconds_count{phase=\"SKIPPED\"}"), "a job that never ran has no duration");
        Assert.That(lines, Has.None.StartsWith("gradient_workflow_job_duration_seconds_count{phase=\"RUNNING\"}"), "only finished jobs are timed");
    }

    private static JobStatus Job(WorkflowPhase phase, double seconds) => new() { Phase = phase, Started = T0, Finished = T0.AddSeconds(seconds) };

    private static WorkflowRunStatus Run(int number, WorkflowPhase phase, params (string Id, JobStatus Status)[] jobs) => new()
    {
        Workflow = "w",
        Run = number,
        Phase = phase,
        Jobs = jobs.ToDictionary(j => j.Id, j => j.Status),
    };
}
