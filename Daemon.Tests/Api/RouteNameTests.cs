using GradientNode.Core.Specs;
using GradientNode.Daemon.Api;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class RouteNameTests
{
    [TestCase("a%2Fb", "a/b")]
    [TestCase("team%2fmodel%2Fv2", "team/model/v2")]
    [TestCase("my app", "my app")]
    [TestCase("hello", "hello")]
    public void Decode_RouteValue_RestoresTheSlashesAspNetLeavesEscaped(string routeValue, string expected) =>
        Assert.That(RouteName.Decode(routeValue), Is.EqualTo(expected));

    [Test]
    public void Decode_NameWithASlashAsTheCliSendsIt_HasTheSlugApplyWroteItUnder()
    {
        // The CLI sends Uri.EscapeDataString("a/b") = "a%2Fb"; ASP.NET Core hands the endpoint "a%2Fb" as it is.
        var routeValue = Uri.EscapeDataString("a/b");

        Assert.That(DeploymentName.ToSlug(RouteName.Decode(routeValue)), Is.EqualTo(DeploymentName.ToSlug("a/b")));
    }
}
