using GradientNode.Core.Specs;
using GradientNode.Daemon.Api;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class SpecTextEditTests
{
    private const string Spec = "apiVersion: v1\nname: web # the site\nimage: busybox\nresources:\n  machineType: C4\n  # two for now\n  replicas: 2 # keep\n  ports: [8080]\n";

    [Test]
    public void SetReplicas_ExistingKey_ChangesOnlyThatLine()
    {
        var edited = SpecTextEdit.SetReplicas(Spec, 5)!;

        Assert.That(edited, Is.EqualTo(Spec.Replace("replicas: 2 # keep", "replicas: 5 # keep", StringComparison.Ordinal)));
        Assert.That(SpecParser.Parse("web.yaml", edited).Spec!.Resources.Replicas, Is.EqualTo(5));
    }

    [Test]
    public void SetReplicas_NoKey_AddsItUnderResources()
    {
        var edited = SpecTextEdit.SetReplicas("apiVersion: v1\nname: web\nimage: busybox\nresources:\n    machineType: C4\n    ports: [8080]\n", 3)!;

        Assert.That(edited, Does.Contain("resources:\n    replicas: 3\n    machineType: C4"));
        Assert.That(SpecParser.Parse("web.yaml", edited).Spec!.Resources.Replicas, Is.EqualTo(3));
    }

    [Test]
    public void SetReplicas_FlowStyleResources_IsNull() =>
        Assert.That(SpecTextEdit.SetReplicas("name: web\nresources: {replicas: 1}\n", 3), Is.Null);

    [TestCase("{\"apiVersion\":\"v1\",\"name\":\"web\",\"image\":\"nginx:1\",\"resources\":{\"machineType\":\"C4\",\"ports\":[8080]}}\n")]
    [TestCase("# a JSON spec\n{\n  \"name\": \"web\",\n  \"image\": \"nginx:1\",\n  \"resources\": {\"machineType\": \"C4\", \"ports\": [8080]}\n}\n")]
    public void SetReplicasAndSetEnabled_JsonDocument_AreNullNotALineAfterTheBrace(string json)
    {
        Assert.That(SpecTextEdit.SetReplicas(json, 2), Is.Null);
        Assert.That(SpecTextEdit.SetEnabled(json, false), Is.Null);
    }

    [Test]
    public void SetEnabled_NoKey_AppendsAndKeepsTheRest()
    {
        var edited = SpecTextEdit.SetEnabled(Spec, false)!;

        Assert.That(edited, Is.EqualTo(Spec + "enabled: false\n"));
        Assert.That(SpecParser.Parse("web.yaml", edited).Spec!.Enabled, Is.False);
        Assert.That(SpecTextEdit.SetEnabled(edited, true), Is.EqualTo(Spec + "enabled: true\n"));
    }
}
