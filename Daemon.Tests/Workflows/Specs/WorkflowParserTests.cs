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

    [Test]
    public void JobsKey_TopLevelKeyOneEditFromJobsAndNoDeploymentKey_ThatKeySoTheFileIsAWorkflow()
    {
        Assert.Multiple(() =>
        {
            Assert.That(WorkflowParser.JobsKey("jbos:\n  a: {uses: container@v1}\n"), Is.EqualTo("jbos"));
            Assert.That(WorkflowParser.JobsKey("name: w\njob: {}\n"), Is.EqualTo("job"), "a workflow's name does not make it a deployment");
            Assert.That(WorkflowParser.JobsKey("Jobs: {}\n"), Is.EqualTo("Jobs"));
            Assert.That(WorkflowParser.JobsKey("defaults: {}\njobs: {}\njob: {}\n"), Is.EqualTo("jobs"), "the right key wins");
            Assert.That(WorkflowParser.LooksLikeWorkflow("jbos: {}\n"), Is.True);
        });
    }

    [Test]
    public void JobsKey_KeyOneEditFromJobsBesideADeploymentKeyOrTwoEditsAway_Null()
    {
        Assert.Multiple(() =>
        {
            Assert.That(WorkflowParser.JobsKey("image: nginx\njbos: {}\n"), Is.Null);
            Assert.That(WorkflowParser.JobsKey("port: 80\njob: {}\n"), Is.Null);
            Assert.That(WorkflowParser.JobsKey("resources: {}\nJobs: {}\n"), Is.Null);
            Assert.That(WorkflowParser.JobsKey("jb: {}\njboz: {}\nbobs2: {}\n"), Is.Null, "two edits from 'jobs'");
            Assert.That(WorkflowParser.JobsKey("- jbos\n"), Is.Null, "not a mapping");
        });
    }
}
