using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class WorkflowStoreCheckTests
{
    [Test]
    public void AsWarning_PositionedProblem_WarningAtItsPositionAndWhatARunGets()
    {
        Assert.That(
            WorkflowStoreCheck.AsWarning("wf/train.yaml", "wf/train.yaml:9:14: jobs.a.env.TOKEN: secret 'tok' is not set on this node"),
            Is.EqualTo($"wf/train.yaml:9:14: warning: jobs.a.env.TOKEN: secret 'tok' is not set on this node; {WorkflowStoreCheck.RefusedUntil}"));
    }

    [Test]
    public void AsWarning_ProblemWithoutAPosition_HeadedByTheFile()
    {
        Assert.That(
            WorkflowStoreCheck.AsWarning("train.yaml", "inputs.d: no dataset 'x'"),
            Is.EqualTo($"train.yaml: warning: inputs.d: no dataset 'x'; {WorkflowStoreCheck.RefusedUntil}"));
    }
}
