using GradientNode.Core.Secrets;
using GradientNode.Core.Workflows.Runs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Runs;

/// <summary><c>secrets rm</c> names the workflow runs still to come that would fail for want of the secret.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class RunSecretUsersTests
{
    [Test]
    public void Of_RunsAndJobs_NamesOnlyJobsNotEndedOfRunsNotEnded()
    {
        RunRecord[] runs =
        [
            Run("train", 3, WorkflowPhase.Running,
                Job("fetch", WorkflowPhase.Succeeded, with: ("password", "secret:pw")),
                Job("train", WorkflowPhase.Pending, env: ("TOKEN", "secret:pw")),
                Job("clone", null, with: ("password", "secret:pw")),
                Job("other", WorkflowPhase.Pending, env: ("TOKEN", "secret:other"))),
            Run("train", 2, WorkflowPhase.Failed, Job("train", WorkflowPhase.Pending, env: ("TOKEN", "secret:pw"))),
            Run("etl", 1, WorkflowPhase.Pending, Job("load", WorkflowPhase.Pending, env: ("KEY", "secret:pw"), with: ("secret-access-key", "secret:pw"))),
        ];

        var users = RunSecretUsers.Of("pw", runs);

        Assert.That(users, Is.EqualTo(new[]
        {
            "workflow etl run 1 (job load: env[KEY], with.secret-access-key)",
            "workflow train run 3 (job clone: with.password; job train: env[TOKEN])",
        }));
    }

    [Test]
    public void RemovedResult_DeploymentAndRunUsers_TellsBoth()
    {
        var result = SecretUsers.RemovedResult("pw", [], ["workflow etl run 1 (job load: env[KEY])"]);

        Assert.That(result, Is.EqualTo("deleted; still named by workflow etl run 1 (job load: env[KEY]) of runs not ended: "
            + "each such job fails with an error naming the secret when it starts, unless it is set again first"));
    }

    [Test]
    public void RemovedResult_NoRunUsers_IsDeleted() =>
        Assert.That(SecretUsers.RemovedResult("pw", [], []), Is.EqualTo("deleted"));

    private static RunRecord Run(string workflow, int number, WorkflowPhase phase, params (JobPlan Plan, WorkflowPhase? Phase)[] jobs) => new()
    {
        Plan = new RunPlan { Workflow = workflow, Jobs = [.. jobs.Select(j => j.Plan)] },
        Status = new WorkflowRunStatus
        {
            Workflow = workflow,
            Run = number,
            Phase = phase,
            Jobs = jobs.Where(j => j.Phase is not null).ToDictionary(j => j.Plan.Id, j => new JobStatus { Phase = j.Phase!.Value }),
        },
    };

    private static (JobPlan, WorkflowPhase?) Job(string id, WorkflowPhase? phase, (string Key, string Value)? env = null, (string Key, string Value)? with = null) => (
        new JobPlan
        {
            Id = id,
            Action = "container@v1",
            Env = env is { } e ? new Dictionary<string, string> { [e.Key] = e.Value } : new Dictionary<string, string>(),
            With = with is { } w ? new Dictionary<string, string> { [w.Key] = w.Value } : new Dictionary<string, string>(),
        },
        phase);
}
