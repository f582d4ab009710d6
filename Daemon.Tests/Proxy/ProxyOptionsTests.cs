using GradientNode.Proxy;
using GradientNode.Proxy.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy;

[TestFixture]
[Category("Unit")]
internal sealed class ProxyOptionsTests
{
    [Test]
    public void Validate_Defaults_AreValid()
    {
        var options = new ProxyOptions();

        Assert.That(options.Validate(), Is.Empty);
        Assert.That(options.ListenUrls, Is.EqualTo(new[] { "http://0.0.0.0:8080" }));
        Assert.That(options.ReadyWaitTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void Validate_BadValues_ReportsAllProblems()
    {
        var options = new ProxyOptions
        {
            ListenUrls = ["ftp://x", "nonsense"],
            Domain = ".bad",
            RunDir = " ",
            ActivityTimeout = TimeSpan.Zero,
            ReadyWaitTimeout = TimeSpan.FromSeconds(-1),
        };

        Assert.That(options.Validate(), Has.Count.EqualTo(6));
    }

    [TestCase("a..b")]
    [TestCase("-x.example.com")]
    [TestCase("x.example.com-")]
    [TestCase("x.example.com.")]
    public void Validate_DomainNotAHostName_NamesItWithTheRule(string domain) =>
        Assert.That(new ProxyOptions { Domain = domain }.Validate(), Is.EqualTo(new[] { $"domain '{domain}' is not a host name (dot-separated labels of 1 to 63 letters, digits, '-' or '_', none starting or ending with '-')" }));

    [Test]
    public void Validate_Defaults_BoundHeldRequestsAndConnections()
    {
        var options = new ProxyOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.MaxHeldRequestsPerDeployment, Is.EqualTo(100));
            Assert.That(options.MaxHeldRequests, Is.EqualTo(1000));
            Assert.That(options.MaxConcurrentConnections, Is.EqualTo(10_000));
            Assert.That(options.MaxRequestBufferSize, Is.EqualTo(64 * 1024));
            Assert.That(options.RequestHeadersTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
        });
    }

    [Test]
    public void Validate_BadLimits_NamesEachOne()
    {
        var options = new ProxyOptions
        {
            MaxHeldRequestsPerDeployment = -1,
            MaxHeldRequests = -1,
            MaxConcurrentConnections = 0,
            MaxRequestBufferSize = 1024,
            RequestHeadersTimeout = TimeSpan.Zero,
        };

        var errors = string.Join("\n", options.Validate());

        Assert.That(errors, Does.Contain("MaxHeldRequestsPerDeployment").And.Contain("MaxHeldRequests must").And.Contain("MaxConcurrentConnections")
            .And.Contain("MaxRequestBufferSize").And.Contain("RequestHeadersTimeout"));
    }

    [Test]
    public void Validate_AuthFailureSettings_DefaultsValidAndBadOnesNamed()
    {
        var defaults = new ProxyOptions();
        var bad = new ProxyOptions { AuthFailureLimit = -1, AuthFailureWindow = TimeSpan.FromDays(2), AuthFailureTableSize = 0 };

        var errors = string.Join("\n", bad.Validate());

        Assert.Multiple(() =>
        {
            Assert.That(defaults.Validate(), Is.Empty);
            Assert.That((defaults.AuthFailureLimit, defaults.AuthFailureWindow, defaults.AuthFailureTableSize), Is.EqualTo((10, TimeSpan.FromMinutes(1), 10_000)));
            Assert.That(errors, Does.Contain("AuthFailureLimit").And.Contain("AuthFailureWindow").And.Contain("AuthFailureTableSize"));
        });
    }

    [Test]
    public void Create_InvalidOptions_ThrowsWithReasons() =>
        Assert.That(() => ProxyServer.Create(new ProxyOptions { Domain = "" }), Throws.ArgumentException.With.Message.Contains("domain"));

    [Test]
    public void Validate_HttpsListenerWithCertificateButNoKey_NamesIt()
    {
        var options = new ProxyOptions { ListenUrls = ["http://0.0.0.0:80", "https://0.0.0.0:443"], Tls = new() { CertificateFile = "/x.crt" } };

        Assert.That(options.Validate(), Is.EqualTo(new[] { "--tls-cert needs --tls-key" }));
    }

    [Test]
    public void Validate_HttpsListenerWithoutAnyCertificateSource_NamesTheOptions() =>
        Assert.That(new ProxyOptions { ListenUrls = ["https://0.0.0.0:443"] }.Validate(), Has.One.Contains("--tls-cert/--tls-key, --tls-dir"));
}
