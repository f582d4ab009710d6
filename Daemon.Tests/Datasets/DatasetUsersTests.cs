using GradientNode.Core.Datasets;
using GradientNode.Core.Engine;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

[TestFixture]
[Category("Unit")]
internal sealed class DatasetUsersTests
{
    [TestCase("gradient.deployment=web,gradient.name=My Web,gradient.replica=1", "deployment 'My Web' replica 1")]
    [TestCase("gradient.workflow=train,gradient.run=3,gradient.job=job-1", "workflow 'train' run 3 job 'job-1'")]
    [TestCase("other=x", "container 'c1'")]
    public void Describe_Labels_NamesTheUser(string labels, string expected)
    {
        var map = labels.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

        Assert.That(DatasetUsers.Describe(new ContainerSummary("id", "c1", "img", map, "running", "Up", DateTimeOffset.UnixEpoch)), Is.EqualTo(expected));
    }
}
