using GradientNode.Core.Registries;
using NUnit.Framework;

namespace GradientNode.Tests.Registries;

[TestFixture]
[Category("Unit")]
internal sealed class RegistryConnectionTests
{
    [TestCase("ghcr")]
    [TestCase("1prod.eu_west-2")]
    public void IsValidName_PlainName_True(string name) => Assert.That(RegistryConnection.IsValidName(name), Is.True);

    [TestCase("ghcr\n")]
    [TestCase("..")]
    [TestCase("a/b")]
    [TestCase("")]
    public void IsValidName_TrailingNewlineOrPathCharacters_False(string name) => Assert.That(RegistryConnection.IsValidName(name), Is.False);
}
