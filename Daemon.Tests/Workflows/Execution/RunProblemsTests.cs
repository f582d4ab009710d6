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

    [Test]
    public void Heading_SecretTooLongAloneOrWithOthers_SaysTooLongWithTheLimitsNotCannotResolve()
    {
        // Before (workflows17): a secret refused as too long for an env entry was one of the "secret reference(s) this node
        // cannot resolve" of the heading, though the node resolved it.
        Assert.Multiple(() =>
        {
            Assert.That(new RunProblems([], [], []) { TooLong = ["t"] }.Heading("w"), Is.EqualTo(
                "workflow 'w' cannot run: 1 problem(s) of environment or arguments too long for Linux to start a job with (at most 131072 bytes an entry, 2097152 in all) (nothing was started)"));
            Assert.That(new RunProblems([], ["s"], []) { TooLong = ["t"] }.Heading("w"), Is.EqualTo(
                "workflow 'w' cannot run: secrets this node cannot resolve and environment or arguments too long for Linux to start a job with (at most 131072 bytes an entry, 2097152 in all) (nothing was started)"));
            Assert.That(new RunProblems([], ["s"], ["a"]) { TooLong = ["t"] }.All, Is.EqualTo(new[] { "s", "a", "t" }));
            Assert.That(new RunProblems([], [], []) { TooLong = ["t"] }.IsEmpty, Is.False);
        });
    }
}
