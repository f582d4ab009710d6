using GradientNode.Core.Workflows.Runs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Runs;

[TestFixture]
[Category("Unit")]
internal sealed class RunRetentionTests
{
    [Test]
    public void Doomed_MoreEndedRunsThanKept_OldestEndedBeyondTheNewestKept()
    {
        var runs = new[]
        {
            Run(5, WorkflowPhase.Succeeded), Run(1, WorkflowPhase.Failed), Run(2, WorkflowPhase.Running),
            Run(3, WorkflowPhase.Canceled), Run(4, WorkflowPhase.Error), Run(6, WorkflowPhase.Pending),
        };

        Assert.That(RunRetention.Doomed(runs, 2), Is.EqualTo(new[] { 1, 3 }), "runs 2 and 6 have not ended: neither deleted nor counted");
    }

    [Test]
    public void Doomed_KeptZero_KeepsEveryRun() =>
        Assert.That(RunRetention.Doomed([Run(1, WorkflowPhase.Succeeded), Run(2, WorkflowPhase.Failed)], 0), Is.Empty);

    [Test]
    public void Doomed_NoMoreEndedRunsThanKept_Nothing() =>
        Assert.That(RunRetention.Doomed([Run(1, WorkflowPhase.Succeeded), Run(2, WorkflowPhase.Running), Run(3, WorkflowPhase.Running)], 1), Is.Empty);

    private static WorkflowRunStatus Run(int number, WorkflowPhase phase) => new() { Workflow = "w", Run = number, Phase = phase };
}
