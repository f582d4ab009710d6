using GradientNode.Proxy.Auth;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Auth;

[TestFixture]
[Category("Unit")]
internal sealed class BasicAuthenticationTests
{
    private const string Token = "cGFwZXJzcGFjZTpteV9wYXNzd29yZA==";

    [TestCase("Basic " + Token)]
    [TestCase("basic " + Token)]
    [TestCase("  Basic  " + Token + " ")]
    public void IsAuthorized_RightToken_ReturnsTrue(string header) =>
        Assert.That(BasicAuthentication.IsAuthorized(header, Token), Is.True);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("Basic")]
    [TestCase("Basic ")]
    [TestCase("Bearer " + Token)]
    [TestCase("Basic cGFwZXJzcGFjZTpteV9wYXNzd29yZA=")]
    [TestCase("Basic cGFwZXJzcGFjZTpteV9wYXNzd29yZa==")]
    public void IsAuthorized_WrongOrMissing_ReturnsFalse(string? header) =>
        Assert.That(BasicAuthentication.IsAuthorized(header, Token), Is.False);

    [TestCase("Basic " + Token, Token)]
    [TestCase(Token, Token)]
    [TestCase(null, null)]
    [TestCase("  ", null)]
    public void ExpectedToken_HeaderValue_ReturnsToken(string? expected, string? token) =>
        Assert.That(BasicAuthentication.ExpectedToken(expected), Is.EqualTo(token));

    [Test]
    public void Challenge_NameWithQuote_IsEscaped() =>
        Assert.That(BasicAuthentication.Challenge("my \"cool\" app", "my-cool-app"), Is.EqualTo("Basic realm=\"my \\\"cool\\\" app\""));

    [TestCase("café ☕", "cafe")]
    [TestCase("tab\there", "tab-here")]
    [TestCase("", "empty")]
    public void Challenge_NameNotPrintableAscii_UsesSlug(string name, string slug) =>
        Assert.That(BasicAuthentication.Challenge(name, slug), Is.EqualTo($"Basic realm=\"{slug}\""));
}
