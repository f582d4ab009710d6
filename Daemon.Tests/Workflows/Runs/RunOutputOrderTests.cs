using GradientNode.Core.Workflows.Runs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Runs;

[TestFixture]
[Category("Unit")]
internal sealed class RunOutputOrderTests
{
    [Test]
    public void Apply_JobsFinishedInReverseFileOrder_OutputsInTheFileOrder()
    {
        var plan = new RunPlan
        {
            Workflow = "w",
            Jobs =
            [
                Job("slow", "zeta", "alpha"),
                Job("fast", "mid"),
            ],
        };
        // As the runner records them: fast ended first; a job's own outputs come strings, then volumes, then datasets.
        var status = new WorkflowRunStatus
        {
            Workflow = "w",
            Run = 1,
            Outputs = Values("fast.mid", "slow.alpha", "slow.zeta"),
            Jobs = new Dictionary<string, JobStatus>
            {
                ["fast"] = new() { Outputs = Values("mid") },
                ["slow"] = new() { Outputs = Values("alpha", "zeta") },
            },
        };

        var ordered = RunOutputOrder.Apply(plan, status);

        Assert.Multiple(() =>
        {
            Assert.That(ordered.Outputs.Keys, Is.EqualTo(new[] { "slow.zeta", "slow.alpha", "fast.mid" }));
            Assert.That(ordered.Jobs.Keys, Is.EqualTo(new[] { "slow", "fast" }));
            Assert.That(ordered.Jobs["slow"].Outputs.Keys, Is.EqualTo(new[] { "zeta", "alpha" }));
        });
    }

    [Test]
    public void Apply_KeyThePlanDoesNotKnow_KeptAfterTheKnownOnes()
    {
        var plan = new RunPlan { Workflow = "w", Jobs = [Job("a", "x")] };
        var status = new WorkflowRunStatus { Workflow = "w", Run = 1, Outputs = Values("old.y", "a.x") };

        Assert.That(RunOutputOrder.Apply(plan, status).Outputs.Keys, Is.EqualTo(new[] { "a.x", "old.y" }));
    }

    private static JobPlan Job(string id, params string[] outputs) => new()
    {
        Id = id,
        Action = "container@v1",
        Outputs = outputs.ToDictionary(o => o, _ => new JobOutput("volume"), StringComparer.Ordinal),
    };

    private static Dictionary<string, RunValue> Values(params string[] keys) =>
        keys.ToDictionary(k => k, _ => new RunValue { Type = "volume" }, StringComparer.Ordinal);
}
