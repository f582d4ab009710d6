using System.Globalization;

namespace GradientNode.Core.Workflows.Runs;

/// <summary>
/// Which workflow runs still to come name a secret: a job of a run that has not ended, which has not ended itself, and
/// whose env or action parameters hold <c>secret:NAME</c> (it resolves them when it starts, so removing the secret fails
/// it then). Ended runs and ended jobs read nothing more. For <c>secrets rm</c>'s answer, beside the deployments.
/// </summary>
public static class RunSecretUsers
{
    /// <summary>One entry per run, e.g. <c>workflow train run 3 (job fetch: with.password; job train: env[TOKEN])</c>; ordered by workflow and run.</summary>
    public static IReadOnlyList<string> Of(string secret, IEnumerable<RunRecord> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var reference = "secret:" + secret;
        var users = new List<string>();
        foreach (var run in runs.Where(r => !r.Status.Phase.IsFinished()).OrderBy(r => r.Plan.Workflow, StringComparer.Ordinal).ThenBy(r => r.Status.Run))
        {
            var jobs = run.Plan.Jobs
                .Where(job => !run.Status.Jobs.TryGetValue(job.Id, out var status) || !status.Phase.IsFinished())
                .Select(job => (job.Id, Fields: job.Env.Where(e => e.Value == reference).Select(e => $"env[{e.Key}]")
                    .Concat(job.With.Where(w => w.Value == reference).Select(w => $"with.{w.Key}")).ToList()))
                .Where(job => job.Fields.Count > 0)
                .OrderBy(job => job.Id, StringComparer.Ordinal)
                .Select(job => $"job {job.Id}: {string.Join(", ", job.Fields)}")
                .ToList();
            if (jobs.Count > 0)
            {
                users.Add(string.Create(CultureInfo.InvariantCulture, $"workflow {run.Plan.Workflow} run {run.Status.Run} ({string.Join("; ", jobs)})"));
            }
        }

        return users;
    }
}
