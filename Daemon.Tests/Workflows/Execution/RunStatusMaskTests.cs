using GradientNode.Core.Secrets;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

[TestFixture]
[Category("Unit")]
internal sealed class RunStatusMaskTests
{
    private const string Secret = "hunter2-token";

    [Test]
    public void Apply_SecretInOutputsInputsAndMessages_HiddenEverywhereOtherValuesKept()
    {
        var leaked = new RunValue { Type = "string", Value = $"token={Secret}\n" };
        var status = new WorkflowRunStatus
        {
            Workflow = "w",
            Run = 1,
            Message = $"ended with {Secret}",
            Outputs = new Dictionary<string, RunValue> { ["a.out"] = leaked, ["a.plain"] = new() { Type = "string", Value = "plain" } },
            Jobs = new Dictionary<string, JobStatus>
            {
                ["a"] = new() { Outputs = new Dictionary<string, RunValue> { ["out"] = leaked }, Message = Secret },
                ["b"] = new() { Inputs = new Dictionary<string, RunValue> { ["in"] = leaked } },
            },
        };

        var shown = RunStatusMask.Apply(status, new LogMask([Secret]));

        Assert.Multiple(() =>
        {
            Assert.That(shown.Message, Is.EqualTo("ended with ***"));
            Assert.That(shown.Outputs["a.out"].Value, Is.EqualTo("token=***\n"));
            Assert.That(shown.Outputs["a.plain"].Value, Is.EqualTo("plain"));
            Assert.That(shown.Jobs["a"].Outputs["out"].Value, Is.EqualTo("token=***\n"));
            Assert.That(shown.Jobs["a"].Message, Is.EqualTo("***"));
            Assert.That(shown.Jobs["b"].Inputs["in"].Value, Is.EqualTo("token=***\n"));
            Assert.That(status.Jobs["b"].Inputs["in"].Value, Does.Contain(Secret), "the run keeps the value for its jobs");
        });
    }

    [Test]
    public void Apply_EmptyMask_ReturnsTheSameStatus()
    {
        var status = new WorkflowRunStatus { Workflow = "w", Run = 1 };

        Assert.That(RunStatusMask.Apply(status, LogMask.None), Is.SameAs(status));
    }
}
