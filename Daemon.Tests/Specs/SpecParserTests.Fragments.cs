using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs;

/// <summary>Specs pasted in part from Gradient's pages: each missing top-level field names the smallest valid addition.</summary>
internal sealed partial class SpecParserTests
{
    [Test]
    public void Parse_FragmentWithOnlyTheImageAndItsRegistry_EachMissingFieldNamesTheSmallestAddition()
    {
        // Seed 004's fragments, pasted from a page: before, "missing required field 'name'" and "'resources'" with no example.
        var result = SpecParser.Parse("spec.yaml", "image: tensorflow/tensorflow:2.7.0-gpu-jupyter\ncontainerRegistry: dockerhub\n");

        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "spec.yaml:1:1: missing required field 'name' (add it, e.g. 'name: my-app')",
            "spec.yaml:1:1: missing required field 'resources' (add it, e.g. 'resources: {replicas: 1, machineType: C4, ports: [8080]}')",
        }));
        var fixedUp = SpecParser.Parse("spec.yaml", "image: tensorflow/tensorflow:2.7.0-gpu-jupyter\ncontainerRegistry: dockerhub\nname: my-app\nresources: {replicas: 1, machineType: C4, ports: [8080]}\n");
        Assert.That(fixedUp.Errors, Is.Empty, "what the errors offer to add makes a valid spec");
    }

    [Test]
    public void Parse_LegacyFragmentWithoutResources_TheExampleIsInTheLegacyForm()
    {
        var result = SpecParser.Parse("spec.yaml", "apiVersion: v0alpha0\nimage: nginx:1.27\n");

        Assert.That(result.Errors.Select(e => e.Message), Is.EqualTo(new[] { "missing required field 'resources' (add it, e.g. 'resources: {replicas: 1, instanceType: C4}')" }));
        var fixedUp = SpecParser.Parse("spec.yaml", "apiVersion: v0alpha0\nimage: nginx:1.27\nresources: {replicas: 1, instanceType: C4}\n");
        Assert.That(fixedUp.Errors, Is.Empty, "what the error offers to add makes a valid spec");
    }
}
