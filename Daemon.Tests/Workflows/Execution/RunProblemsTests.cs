using GradientNode.Core.Workflows.Execution;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

[TestFixture]
[Category("Unit")]
internal sealed class RunProblemsTests
{
    [Test]
    public void Heading_RegistriesAloneOrWithOthers_NamesEachKindMissing()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new RunProblems([], [], ["a", "b"]).Heading("w"), Is.EqualTo("workflow 'w' cannot run: it names 2 registry connection(s) this node does not have (nothing was started)"));
            Assert.That(new RunProblems([], ["s"], ["a"]).Heading("w"), Is.EqualTo("workflow 'w' cannot run: secrets this node cannot resolve and registry connections this node does not have (nothing was started)"));
            Assert.That(new RunProblems(["i"], ["s"], ["a"]).Heading("w"), Is.EqualTo("workflow 'w' cannot run: inputs that do not resolve, secrets this node cannot resolve and registry connections this node does not have (nothing was started)"));
            Assert.That(new RunProblems(["i"], ["s"], []).Heading("w"), Is.EqualTo("workflow 'w' cannot run: inputs that do not resolve and secrets this node cannot resolve (nothing was started)"));
            Assert.That(new RunProblems(["i"], ["s"], ["a"]).All, Is.EqualTo(new[] { "i", "s", "a" }));
        });
    }
}
