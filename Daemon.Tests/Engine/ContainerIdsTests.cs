using GradientNode.Core.Engine;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

[TestFixture]
[Category("Unit")]
internal sealed class ContainerIdsTests
{
    [Test]
    public void Short_AFullId_FirstTwelveDigits() =>
        Assert.That(ContainerIds.Short("6be9fab83e12bde161fcf0ac30294232df8a0f39eb3b8533562adb7f63827d19"), Is.EqualTo("6be9fab83e12"));

    [TestCase("gradient-web-0-617626")]
    [TestCase("6be9fab83e12")]
    [TestCase("")]
    [TestCase("6BE9FAB83E12BDE161FCF0AC30294232DF8A0F39EB3B8533562ADB7F63827D19")]
    public void Short_NotAFullLowerHexId_Unchanged(string id) => Assert.That(ContainerIds.Short(id), Is.EqualTo(id));
}
