using GradientNode.Core.Specs;
using NUnit.Framework;

namespace GradientNode.Tests.Specs;

[TestFixture]
[Category("Unit")]
internal sealed class SecretNameTests
{
    [TestCase("pw")]
    [TestCase("my_paperspace_secret")]
    [TestCase("paperspace-github-token.v2")]
    public void IsValid_PlainName_True(string name) => Assert.That(SecretName.IsValid(name), Is.True);

    [TestCase("pw\n")]
    [TestCase("pw\r\n")]
    [TestCase("pw\nother")]
    [TestCase("../pw")]
    [TestCase("pw/x")]
    [TestCase("pw\0")]
    [TestCase("1pw")]
    [TestCase("")]
    public void IsValid_NewlineSeparatorOrBadStart_False(string name) => Assert.That(SecretName.IsValid(name), Is.False);
}
