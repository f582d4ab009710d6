using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Secrets;

[TestFixture]
[Category("Unit")]
internal sealed class SecretUsersTests
{
    [Test]
    public void RemovedResult_SecretNamedByTwoDeployments_NamesThemWithTheirFieldsAndWhatHappens()
    {
        DeploymentSpec[] specs = [Spec("web", "env:\n  - name: TOKEN\n    value: secret:pw\n"), Spec("locked", "basicAuthKey: secret:pw\n"), Spec("other", string.Empty)];

        var result = SecretUsers.RemovedResult("pw", specs);

        Assert.That(result, Is.EqualTo(
            "deleted; still named by locked (basicAuthKey), web (env[TOKEN]): each is Degraded or Failed until the secret is set again "
            + "(running replicas keep their values, new ones do not start, and a basicAuthKey endpoint refuses every request)"));
    }

    [Test]
    public void RemovedResult_NoDeploymentNamesIt_IsDeleted() =>
        Assert.That(SecretUsers.RemovedResult("pw", [Spec("web", "env:\n  - name: TOKEN\n    value: secret:other\n")]), Is.EqualTo("deleted"));

    private static DeploymentSpec Spec(string name, string extra) => SpecParser.Parse($"/specs/{name}.yaml", $"name: {name}\nimage: nginx:1\n{extra}resources:\n  machineType: C4\n  ports: [8080]\n").Spec!;
}
