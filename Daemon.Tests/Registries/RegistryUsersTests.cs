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

        var result = RegistryUsers.RemovedResult(Connection("private", "127.0.0.1:5000", "ci"), specs);

        // Before: "--url URL --username U", though the node had just held both.
        Assert.That(result, Is.EqualTo(
            "deleted; still named by api (containerRegistry), web (containerRegistry): running replicas keep running, but each pull of "
            + "their image fails until the connection is added again (gradient-node registries add private --url 127.0.0.1:5000 --username ci --password-stdin)"));
        Assert.That(result, Does.Not.Contain("the-password"));
    }

    [Test]
    public void RemovedResult_UserWithASpaceAndAQuote_IsQuotedForTheShell() =>
        Assert.That(
            RegistryUsers.RemovedResult(Connection("private", "https://registry.example.com/v2", "o'brien ci"), [Spec("web", "containerRegistry: private\n")]),
            Does.EndWith("(gradient-node registries add private --url https://registry.example.com/v2 --username 'o'\\''brien ci' --password-stdin)"));

    [Test]
    public void RemovedResult_NoDeploymentNamesIt_IsDeleted() =>
        Assert.That(RegistryUsers.RemovedResult(Connection("private", "127.0.0.1:5000", "ci"), [Spec("web", "containerRegistry: ghcr\n"), Spec("open", string.Empty)]), Is.EqualTo("deleted"));

    private static RegistryConnection Connection(string name, string url, string user) => new(name, url, user, "the-password", null, DateTimeOffset.UnixEpoch);

    private static DeploymentSpec Spec(string name, string extra) => SpecParser.Parse($"/specs/{name}.yaml", $"name: {name}\nimage: nginx:1\n{extra}resources:\n  machineType: C4\n  ports: [8080]\n").Spec!;
}
