using GradientNode.Proxy.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Hosting;

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

    [Test]
    public void Create_InvalidOptions_ThrowsWithReasons() =>
        Assert.That(() => ProxyServer.Create(new ProxyOptions { Domain = "" }), Throws.ArgumentException.With.Message.Contains("domain"));
}
