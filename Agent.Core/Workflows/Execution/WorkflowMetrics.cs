using System.Text;
using GradientNode.Core.Common;
using GradientNode.Core.Workflows.Runs;

namespace GradientNode.Core.Workflows.Execution;

/// <summary>The metrics endpoint's workflow series: runs and jobs by phase, and the durations of finished jobs.</summary>
public static class WorkflowMetrics
{
    public static void Write(StringBuilder text, IReadOnlyCollection<WorkflowRunStatus> runs)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(runs);
        PrometheusText.Family(text, "gradient_workflow_runs", "gauge", "Workflow runs kept on this node, by phase.");
        foreach (var phase in Enum.GetValues<WorkflowPhase>().Where(p => p != WorkflowPhase.Skipped))
        {
            PrometheusText.Sample(text, "gradient_workflow_runs", runs.Count(r => r.Phase == phase), ("phase", phase.Text()));
        }

        var jobs = runs.SelectMany(r => r.Jobs.Values).ToList();
        PrometheusText.Family(text, "gradient_workflow_jobs", "gauge", "Jobs of the kept workflow runs, by phase.");
        foreach (var phase in Enum.GetValues<WorkflowPhase>())
        {
            PrometheusText.Sample(text, "gradient_workflow_jobs", jobs.Count(j => j.Phase == phase), ("phase", phase.Text()));
        }

        PrometheusText.Family(text, "gradient_workflow_job_duration_seconds", "summary", "How long finished jobs ran, by phase.");
        foreach (var group in jobs.Where(j => j is { Started: not null, Finished: not null } && j.Phase.IsFinished()).GroupBy(j => j.Phase).OrderBy(g => g.Key))
        {
            var seconds = group.Sum(j => (j.Finished!.Value - j.Started!.Value).TotalSeconds);
            PrometheusText.Sample(text, "gradient_workflow_job_duration_seconds_sum", Math.Round(seconds, 3), ("phase", group.Key.Text()));
            PrometheusText.Sample(text, "gradient_workflow_job_duration_seconds_count", group.Count(), ("phase", group.Key.Text()));
        }
    }
}
