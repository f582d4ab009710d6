using GradientNode.Core.Workflows.Execution;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

[TestFixture]
[Category("Unit")]
internal sealed class ContainerJobExecutorTests
{
    [Test]
    public void ContainerName_SameWorkflowRunAndJobTwice_NamesDifferAndKeepTheReadablePrefix()
    {
        // Before: gn-wf-clash-1-a for both, so a second node on the same engine (another --node-name) could not create
        // its job's container: "Conflict. The container name "/gn-wf-clash-1-a" is already in use".
        var first = ContainerJobExecutor.ContainerName("clash", 1, "a");
        var second = ContainerJobExecutor.ContainerName("clash", 1, "a");

        Assert.Multiple(() =>
        {
            Assert.That(first, Does.Match("^gn-wf-clash-1-a-[0-9a-f]{6}$"));
            Assert.That(second, Does.Match("^gn-wf-clash-1-a-[0-9a-f]{6}$"));
            Assert.That(first, Is.Not.EqualTo(second));
        });
    }
}
