using GradientNode.Core.Registries;
using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Registries;

[TestFixture]
[Category("Unit")]
internal sealed class RegistryUsersTests
{
    [Test]
    public void RemovedResult_ConnectionNamedByTwoDeployments_NamesThemAndWhatHappens()
    {
        DeploymentSpec[] specs = [Spec("web", "containerRegistry: private\n"), Spec("api", "containerRegistry: private\n"), Spec("other", "containerRegistry: ghcr\n"), Spec("open", string.Empty)];

        var result = RegistryUsers.RemovedResult("private", specs);

        Assert.That(result, Is.EqualTo(
            "deleted; still named by api (containerRegistry), web (containerRegistry): running replicas keep running, but each pull of "
            + "their image fails until the connection is added again (gradient-node registries add private --url URL --username U --password-stdin)"));
    }

    [Test]
    public void RemovedResult_NoDeploymentNamesIt_IsDeleted() =>
        Assert.That(RegistryUsers.RemovedResult("private", [Spec("web", "containerRegistry: ghcr\n"), Spec("open", string.Empty)]), Is.EqualTo("deleted"));

    private static DeploymentSpec Spec(string name, string extra) => SpecParser.Parse($"/specs/{name}.yaml", $"name: {name}\nimage: nginx:1\n{extra}resources:\n  machineType: C4\n  ports: [8080]\n").Spec!;
}
