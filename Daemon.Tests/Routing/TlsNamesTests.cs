using GradientNode.Core.Routing;
using NUnit.Framework;

namespace GradientNode.Tests.Routing;

[TestFixture]
[Category("Unit")]
internal sealed class TlsNamesTests
{
    [TestCase("app02.localhost", "app02.localhost", true)]
    [TestCase("APP02.localhost", "app02.localhost.", true)]
    [TestCase("app02.localhost", "app01.localhost", false)]
    [TestCase("*.example.com", "a.example.com", true)]
    [TestCase("*.example.com", "a.b.example.com", false)]
    [TestCase("*.example.com", "example.com", false)]
    [TestCase("*.localhost", "app01.localhost", true)]
    public void Covers_NameAndHost_AsTlsClientsCheck(string name, string host, bool expected) =>
        Assert.That(TlsNames.Covers(name, host), Is.EqualTo(expected));

    [Test]
    public void WarningFor_FolderNamesAnotherHostAndNodeCaServesTheRest_SaysTheNodeCaServesItAndHowToServeYourOwn()
    {
        var names = new TlsNames(["app02.localhost"], NodeAuthorityServesTheRest: true);

        Assert.Multiple(() =>
        {
            Assert.That(names.WarningFor("app01.localhost"), Does.Contain("no certificate given to the node (--tls-dir, --tls-cert) names app01.localhost")
                .And.Contain("served one from the node's own CA").And.Contain("gradient-node tls ca").And.Contain("add app01.localhost.crt + app01.localhost.key"));
            Assert.That(names.WarningFor("app02.localhost"), Is.Null);
        });
    }

    [Test]
    public void WarningFor_NoCertificateGiven_NothingToSayTheNodeCaServesEveryHostAsChosen() =>
        Assert.That(new TlsNames([], NodeAuthorityServesTheRest: true).WarningFor("app01.localhost"), Is.Null);

    [Test]
    public void WarningFor_GivenCertificateForAnotherNameAndNoNodeCa_SaysClientsGetAnotherName() =>
        Assert.That(new TlsNames(["*.other.example"], NodeAuthorityServesTheRest: false).WarningFor("web.gpu1.example.com"),
            Does.Contain("no certificate names web.gpu1.example.com (they name *.other.example)").And.Contain("add one for web.gpu1.example.com or *.gpu1.example.com"));

    [Test]
    public void WarningForHosts_ManyUncovered_NamesTenInOrderAndCountsTheRest()
    {
        var names = new TlsNames(["app02.localhost"], NodeAuthorityServesTheRest: true);
        var hosts = Enumerable.Range(1, 13).Select(i => $"app{i:00}.localhost");

        var warning = names.WarningForHosts(hosts);

        Assert.Multiple(() =>
        {
            Assert.That(warning, Does.StartWith("https: 12 deployment host(s) that no certificate given to the node"));
            Assert.That(warning, Does.Contain("app01.localhost, app03.localhost").And.EndWith("app11.localhost and 2 more"));
            Assert.That(warning, Does.Not.Contain("app02.localhost"));
            Assert.That(names.WarningForHosts(["app02.localhost"]), Is.Null);
        });
    }
}
