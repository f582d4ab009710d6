using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Specs;

[TestFixture]
[Category("Unit")]
internal sealed partial class WorkflowParserTests
{
    [Test]
    public void LooksLikeWorkflow_TopLevelJobs_IsWorkflow()
    {
        Assert.Multiple(() =>
        {
            Assert.That(WorkflowParser.LooksLikeWorkflow("jobs: {}\n"), Is.True);
            Assert.That(WorkflowParser.LooksLikeWorkflow("{\"jobs\": {}}"), Is.True);
            Assert.That(WorkflowParser.LooksLikeWorkflow("image: nginx\nresources: {machineType: C4, ports: [80]}\n"), Is.False);
            Assert.That(WorkflowParser.LooksLikeWorkflow("spec:\n  jobs: {}\n"), Is.False);
            Assert.That(WorkflowParser.LooksLikeWorkflow("jobs: [unclosed\n"), Is.False);
        });
    }
}
