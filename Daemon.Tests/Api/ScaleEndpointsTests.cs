using GradientNode.Core.Specs;
using GradientNode.Daemon.Api;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class ScaleEndpointsTests
{
    [Test]
    public void ScaledResult_AutoscaledDeployment_SaysTheCountIsTheMinimumAndNamesTheMaximum()
    {
        // Before: "scaled to 1 replica" while the autoscaler kept 4 running under load.
        var spec = Parse("  replicas: 1\n  autoscaling:\n    enabled: true\n    maxReplicas: 4\n    metrics:\n      - metric: requestDuration\n        value: 0.2\n");

        Assert.That(
            ScaleEndpoints.ScaledResult(1, spec, "web.yaml"),
            Is.EqualTo("autoscaled from at least 1 replica up to 4 (resources.replicas is the autoscaler's minimum; it runs more while the load asks for them)"));
    }

    [Test]
    public void AboveMaxHint_AboveTheAutoscalersMaximum_SaysTheMostAndHowToRaiseIt()
    {
        // Before: only the parser's "maxReplicas: must be at least resources.replicas (8), got 4".
        var spec = Parse("  replicas: 1\n  autoscaling:\n    enabled: true\n    maxReplicas: 4\n    metrics:\n      - metric: requestDuration\n        value: 0.2\n");

        Assert.Multiple(() =>
        {
            Assert.That(
                ScaleEndpoints.AboveMaxHint(8, spec),
                Is.EqualTo("resources.replicas may not pass resources.autoscaling.maxReplicas (4) (with autoscaling on, N is the least replicas it runs): scale to at most 4, or raise maxReplicas in the file and apply it"));
            Assert.That(ScaleEndpoints.AboveMaxHint(4, spec), Is.Null, "at the maximum is fine");
            Assert.That(ScaleEndpoints.AboveMaxHint(8, Parse("  replicas: 1\n")), Is.Null, "no autoscaling: no maximum but 64");
            Assert.That(ScaleEndpoints.AboveMaxHint(8, null), Is.Null, "no version has run");
        });
    }

    [TestCase(1, ExpectedResult = "scaled to 1 replica")]
    [TestCase(3, ExpectedResult = "scaled to 3 replicas")]
    public string ScaledResult_NoAutoscaling_SaysTheCount(int replicas) => ScaleEndpoints.ScaledResult(replicas, Parse($"  replicas: {replicas}\n"), "web.yaml");

    [Test]
    public void ScaledResult_AutoscalingDisabled_SaysTheCount() =>
        Assert.That(
            ScaleEndpoints.ScaledResult(2, Parse("  replicas: 2\n  autoscaling:\n    enabled: false\n    maxReplicas: 4\n    metrics:\n      - metric: cpu\n        value: 50\n"), "web.yaml"),
            Is.EqualTo("scaled to 2 replicas"));

    [Test]
    public void ScaledResult_DisabledDeployment_SaysNoneRunsUntilItIsEnabledAndHow()
    {
        // Before (newuser12): "scaled to 2 replicas" while the deployment stayed Disabled 0/0, nothing said why.
        var spec = SpecParser.Parse("/etc/gradient/specs/off.yaml", "apiVersion: v1\nname: off\nenabled: false\nimage: gradient-test/web:1\nresources:\n  machineType: C4\n  ports: [8080]\n  replicas: 2\n").Spec!;

        Assert.That(
            ScaleEndpoints.ScaledResult(2, spec, "/etc/gradient/specs/off.yaml"),
            Is.EqualTo("scaled to 2 replicas, but it is disabled (enabled: false), so none runs until it is enabled: set enabled: true in /etc/gradient/specs/off.yaml (or the console's Enable)"));
    }

    [Test]
    public void ScaledResult_DisabledAndScaledToZero_SaysTheCountAlone() =>
        Assert.That(
            ScaleEndpoints.ScaledResult(0, SpecParser.Parse("off.yaml", "apiVersion: v1\nname: off\nenabled: false\nimage: gradient-test/web:1\nresources:\n  machineType: C4\n  ports: [8080]\n  replicas: 0\n").Spec!, "off.yaml"),
            Is.EqualTo("scaled to 0 replicas"));

    [TestCase("  replicas: 0\n", "enabled, but it is scaled to 0 (resources.replicas: 0), so none runs until it is scaled up: gradient-node scale web N (or the console's Scale)")]
    [TestCase("  replicas: 2\n", "enabled")]
    public void EnabledResult_ScaledToZeroOrNot_SaysWhetherAnyRuns(string resources, string expected) =>
        // proxy19: before, "enabled" for a deployment scaled to 0 too, while nothing started.
        Assert.That(ScaleEndpoints.EnabledResult(Parse(resources)), Is.EqualTo(expected));

    private static DeploymentSpec Parse(string resources)
    {
        var result = SpecParser.Parse("web.yaml", $"apiVersion: v1\nname: web\nimage: gradient-test/web:1\nresources:\n  machineType: C4\n  ports: [8080]\n{resources}");
        Assert.That(result.IsValid, Is.True, string.Join("\n", result.Errors));
        return result.Spec!;
    }
}
