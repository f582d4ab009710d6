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

    [TestCase("https://ci:hunter2@registry.example.com", "https://***@registry.example.com")]
    [TestCase("ci:hunter2@127.0.0.1:5000", "***@127.0.0.1:5000")]
    [TestCase("http://ci@registry.example.com/path", "http://***@registry.example.com/path")]
    public void UrlProblem_UserInfoInUrl_RefusedWithoutRepeatingIt(string url, string shown)
    {
        var problem = RegistryConnection.UrlProblem(url);

        Assert.That(problem, Does.Contain($"url '{shown}' carries a user or password before '@'"));
        Assert.That(problem, Does.Not.Contain("hunter2").And.Not.Contain("ci@").And.Not.Contain("ci:"));
    }

    [TestCase("registry.example.com/v2?x=1")]
    [TestCase("https://registry.example.com#frag")]
    public void UrlProblem_QueryOrFragment_Refused(string url) =>
        Assert.That(RegistryConnection.UrlProblem(url), Does.Contain("has a query or fragment"));

    [TestCase("ftp://registry.example.com")]
    [TestCase("https://registry.example.com:99999")]
    [TestCase(" ")]
    public void UrlProblem_NotAnAddress_NamesTheUrl(string url) =>
        Assert.That(RegistryConnection.UrlProblem(url), Is.EqualTo($"url '{url}' is not a registry address (e.g. https://registry.example.com or 127.0.0.1:5000)"));

    [TestCase("127.0.0.1:5000")]
    [TestCase("https://registry.example.com/")]
    [TestCase("ghcr.io")]
    public void UrlProblem_PlainAddress_None(string url) => Assert.That(RegistryConnection.UrlProblem(url), Is.Null);

    [Test]
    public void ToInfo_UrlStoredWithUserInfo_ShowsItRedacted() =>
        Assert.That(new RegistryConnection("old", "https://ci:hunter2@registry.example.com", "ci", "pw", null, DateTimeOffset.UnixEpoch).ToInfo().Url, Is.EqualTo("https://***@registry.example.com"));
}
