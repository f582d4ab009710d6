using GradientNode.Proxy.Tls;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

[TestFixture]
[Category("Unit")]
internal sealed class CertificateSetTests
{
    private TestCertificates _ca = null!;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _ca = new TestCertificates();
        _dir = Directory.CreateTempSubdirectory("gn-certset-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        _ca.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private ServerCertificate Cert(string name, params string[] names)
    {
        var (cert, key) = _ca.Write(_dir, name, names);
        return PemCertificateLoader.Load(cert, key);
    }

    [Test]
    public void Select_ExactPerHostName_WinsOverWildcard()
    {
        var wildcard = Cert("wild", "*.gpu1.example.com", "gpu1.example.com");
        var api = Cert("api", "api.gpu1.example.com");
        var set = new CertificateSet(wildcard, [api]);

        Assert.Multiple(() =>
        {
            Assert.That(set.Select("api.gpu1.example.com"), Is.SameAs(api));
            Assert.That(set.Select("API.gpu1.example.com."), Is.SameAs(api));
            Assert.That(set.Select("hello.gpu1.example.com"), Is.SameAs(wildcard));
            Assert.That(set.Select("gpu1.example.com"), Is.SameAs(wildcard));
        });
    }

    [Test]
    public void Select_PerHostWildcardForSameName_WinsOverDefault()
    {
        var fallback = Cert("default", "*.example.com");
        var perHost = Cert("dir", "*.example.com");
        var set = new CertificateSet(fallback, [perHost]);

        Assert.That(set.Select("a.example.com"), Is.SameAs(perHost));
    }

    [Test]
    public void Select_WildcardCoversOneLabelOnly_DeeperNameGetsFallback()
    {
        var fallback = Cert("default", "*.gpu1.example.com");
        var deep = Cert("deep", "*.eu.gpu1.example.com");
        var set = new CertificateSet(fallback, [deep]);

        Assert.Multiple(() =>
        {
            Assert.That(set.Select("x.eu.gpu1.example.com"), Is.SameAs(deep));
            Assert.That(set.Select("a.b.c.gpu1.example.com"), Is.SameAs(fallback));
        });
    }

    [Test]
    public void Select_NoServerName_ServesFallbackOrFirstPerHost()
    {
        var api = Cert("api", "api.example.com");

        Assert.Multiple(() =>
        {
            Assert.That(new CertificateSet(null, [api]).Select(null), Is.SameAs(api));
            Assert.That(new CertificateSet(null, []).IsEmpty, Is.True);
        });
    }

    [Test]
    public void CoversHostsUnder_WildcardOrANameOneLabelUnder_True()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new CertificateSet(Cert("wild", "*.gpu1.example.com"), []).CoversHostsUnder("gpu1.example.com"), Is.True);
            Assert.That(new CertificateSet(Cert("wild2", "*.GPU1.example.com"), []).CoversHostsUnder("gpu1.example.com."), Is.True);
            Assert.That(new CertificateSet(null, [Cert("api", "api.gpu1.example.com")]).CoversHostsUnder("gpu1.example.com"), Is.True);
        });
    }

    [Test]
    public void CoversHostsUnder_OtherDomainTheDomainItselfOrTwoLabelsUnder_False()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new CertificateSet(Cert("other", "*.other.example"), []).CoversHostsUnder("gpu1.example.com"), Is.False);
            Assert.That(new CertificateSet(Cert("apex", "gpu1.example.com"), []).CoversHostsUnder("gpu1.example.com"), Is.False);
            Assert.That(new CertificateSet(Cert("deep", "a.b.gpu1.example.com", "*.b.gpu1.example.com"), []).CoversHostsUnder("gpu1.example.com"), Is.False);
            Assert.That(new CertificateSet(Cert("look", "xgpu1.example.com"), []).CoversHostsUnder("gpu1.example.com"), Is.False);
        });
    }
}
