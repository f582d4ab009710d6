using GradientNode.Core.Common;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class ReplicaTextTests
{
    [TestCase(null, "")]
    [TestCase("", "")]
    [TestCase("Service Unavailable", "Service Unavailable")]
    [TestCase("a\u001b[2Jb\u0007c\u007fd\u0085e\tf\r\ng", "a?[2Jb?c?d?e?f??g")]
    [TestCase("café 日本", "café 日本")]
    public void Printable_Text_ControlCharactersBecomeQuestionMarks(string? text, string expected) =>
        Assert.That(ReplicaText.Printable(text), Is.EqualTo(expected));

    [Test]
    public void Printable_LongerThanTheMax_CutSayingHowMuchMore() =>
        Assert.That(ReplicaText.Printable(new string('x', 30_000), 10), Is.EqualTo("xxxxxxxxxx… (29990 more)"));

    [Test]
    public void Printable_CutFallsInsideASurrogatePair_ThePairIsNotSplit() =>
        Assert.That(ReplicaText.Printable("ab😀cd", 3), Is.EqualTo("ab… (4 more)"));

    [Test]
    public void Printable_MaxNotPositive_Throws() =>
        Assert.That(() => ReplicaText.Printable("x", 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
}
