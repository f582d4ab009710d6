using GradientNode.Proxy;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy;

[TestFixture]
[Category("Unit")]
internal sealed class InlineSocketCompletionsTests
{
    [TestCase("1", true)]
    [TestCase("0", false)]
    [TestCase("true", false)]
    [TestCase(" 1", false)]
    [TestCase("", false)]
    [TestCase(null, false)]
    public void IsOn_Value_OnlyOneAsTheRuntimeReadsIt(string? value, bool expected) =>
        Assert.That(InlineSocketCompletions.IsOn(value), Is.EqualTo(expected));
}
