using GradientNode.Daemon.Configuration;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

[TestFixture]
[Category("Unit")]
internal sealed class BoundListenUrlsTests
{
    [Test]
    public void Resolve_PortZero_TakesTheBoundPortAndKeepsSchemeAndHost()
    {
        var resolved = BoundListenUrls.Resolve(["http://127.0.0.1:0", "https://*:0"], ["http://127.0.0.1:41001", "https://[::]:41002"]);

        Assert.That(resolved, Is.EqualTo(new[] { "http://127.0.0.1:41001/", "https://0.0.0.0:41002/" }));
    }

    [Test]
    public void Resolve_FixedPorts_LeftAsConfigured()
    {
        IReadOnlyList<string> listen = ["http://*:8080", "https://0.0.0.0:8443"];

        var resolved = BoundListenUrls.Resolve(listen, ["http://[::]:8080", "https://0.0.0.0:8443"]);

        Assert.That(resolved, Is.EqualTo(listen));
    }

    [Test]
    public void Resolve_BoundAddressesDoNotLineUp_LeftAsConfigured()
    {
        IReadOnlyList<string> listen = ["http://127.0.0.1:0"];

        Assert.That(BoundListenUrls.Resolve(listen, []), Is.EqualTo(listen));
        Assert.That(BoundListenUrls.Resolve(listen, ["not a url"]), Is.EqualTo(listen));
    }

    [Test]
    public void Reconciler_BoundListenSet_EndpointShowsTheBoundPort()
    {
        var options = new NodeOptions { Listen = ["http://127.0.0.1:0"], BoundListen = ["http://127.0.0.1:41001/"] };

        Assert.That(options.Reconciler.EndpointFor("hello"), Is.EqualTo("http://hello.localhost:41001/"));
    }
}
