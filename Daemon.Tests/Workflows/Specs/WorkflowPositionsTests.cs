using GradientNode.Core.Specs;
using GradientNode.Core.Workflows.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Specs;

[TestFixture]
[Category("Unit")]
internal sealed class WorkflowPositionsTests
{
    [Test]
    public void Value_DottedPathOfAScalar_WhereItsValueWasWritten()
    {
        var positions = WorkflowPositions.Read("w.yaml", "defaults:\n  env: {A: secret:a}\njobs:\n  j:\n    with:\n      password: \"secret:p\"\n");

        Assert.Multiple(() =>
        {
            Assert.That(positions.Value("defaults.env.A"), Is.EqualTo(new SpecPosition("w.yaml", 2, 12)));
            Assert.That(positions.Value("jobs.j.with.password"), Is.EqualTo(new SpecPosition("w.yaml", 6, 17)));
            Assert.That(positions.Value("jobs.j.with"), Is.Null, "a mapping has no value position");
            Assert.That(positions.FirstValue("jobs.j.with.ref", "jobs.j.with.password"), Is.EqualTo(new SpecPosition("w.yaml", 6, 17)));
        });
    }

    [Test]
    public void Value_ItemOfAList_ByItsIndexInBrackets()
    {
        var positions = WorkflowPositions.Read("w.yaml", "defaults:\n  resources:\n    container-registries: [a, b]\njobs:\n  j:\n    resources:\n      container-registries:\n        - c\n");

        Assert.Multiple(() =>
        {
            Assert.That(positions.Value("defaults.resources.container-registries[1]"), Is.EqualTo(new SpecPosition("w.yaml", 3, 31)));
            Assert.That(positions.Value("jobs.j.resources.container-registries[0]"), Is.EqualTo(new SpecPosition("w.yaml", 8, 11)));
            Assert.That(positions.Value("jobs.j.resources.container-registries[1]"), Is.Null);
        });
    }

    [Test]
    public void Read_TextThatDoesNotParse_NoPositionsNoThrow()
    {
        var positions = WorkflowPositions.Read("w.yaml", "a: [\n");

        Assert.That(positions.Value("a"), Is.Null);
    }
}
