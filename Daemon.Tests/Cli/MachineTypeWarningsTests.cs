using GradientNode.Core.Specs;
using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class MachineTypeWarningsTests
{
    [TestCase("C4")]
    [TestCase("c4")]
    [TestCase("A100-80Gx2")]
    public void Of_BuiltInType_NoWarning(string type) =>
        Assert.That(MachineTypeWarnings.Of(Spec($"resources:\n  machineType: {type}\n  ports: [8080]\n")), Is.Empty);

    [Test]
    public void Of_LegacyInstanceTypeFarFromAny_NamesTheLegacyFieldWithoutASuggestion()
    {
        var warning = MachineTypeWarnings.Of(Spec("apiVersion: v0alpha0\nresources:\n  instanceType: quantum-9000\n")).Single();

        Assert.That(warning, Does.StartWith("warning: resources.instanceType: 'quantum-9000' is not a built-in machine type; unless"));
    }

    private static DeploymentSpec Spec(string body) => SpecParser.Parse("/specs/app.yaml", $"name: app\nimage: nginx:1\n{body}").Spec!;
}
