using GradientNode.Core.Status;
using GradientNode.Daemon.Api;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class DeploymentEndpointsTests
{
    [Test]
    public void ListedSlugs_NumberedDeploymentsFromSpecsAndStatuses_AreInNumberOrderOnce()
    {
        var statuses = new StatusStore();
        statuses.Set("model-server-10", new DeploymentStatus { Name = "Model Server 10", Slug = "model-server-10", State = DeploymentState.Ready });
        statuses.Set("gone-1", new DeploymentStatus { Name = "gone 1", Slug = "gone-1", State = DeploymentState.Progressing });

        var listed = DeploymentEndpoints.ListedSlugs(["model-server-2", "model-server-10", "model-server-1"], statuses);

        Assert.That(listed, Is.EqualTo(new[] { "gone-1", "model-server-1", "model-server-2", "model-server-10" }));
    }
}
