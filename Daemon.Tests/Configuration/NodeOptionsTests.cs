using GradientNode.Daemon.Configuration;
using NUnit.Framework;

namespace GradientNode.Tests.Configuration;

[TestFixture]
[Category("Unit")]
internal sealed class NodeOptionsTests
{
    [TestCase("http://*:8080", "http://0.0.0.0:8080/")]
    [TestCase("http://+:8080", "http://0.0.0.0:8080/")]
    [TestCase("http://0.0.0.0:9000", "http://0.0.0.0:9000/")]
    [TestCase("https://*:443", "https://0.0.0.0/")]
    [TestCase("not a url", "http://0.0.0.0:8080/")]
    public void PublicBase_FirstListenUrl_KeepsSchemeAndPort(string listen, string expected)
    {
        Assert.That(NodeOptions.PublicBase([listen, "http://other:1"]).ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void PublicBase_NoListenUrl_IsTheDefault()
    {
        Assert.That(NodeOptions.PublicBase([]), Is.EqualTo(new Uri("http://0.0.0.0:8080")));
    }

    [Test]
    public void Reconciler_WildcardListen_EndpointUsesDomainAndPort()
    {
        var options = new NodeOptions { Listen = ["http://*:8080"], Domain = "apps.example.com", NodeName = "n1" };

        Assert.That(options.Reconciler.EndpointFor("hello"), Is.EqualTo("http://hello.apps.example.com:8080/"));
        Assert.That(options.Reconciler.NodeName, Is.EqualTo("n1"));
    }

    [Test]
    public void Reconciler_ListenOnPort80_EndpointOmitsThePort()
    {
        var options = new NodeOptions { Listen = ["http://0.0.0.0:80"], Domain = "example.com" };

        Assert.That(options.Reconciler.EndpointFor("hello"), Is.EqualTo("http://hello.example.com/"));
    }

    [Test]
    public void Socket_NotSet_IsUnderTheRunDir()
    {
        Assert.That(new NodeOptions { RunDir = "/tmp/run" }.Socket, Is.EqualTo("/tmp/run/gradient.sock"));
        Assert.That(new NodeOptions { RunDir = "/tmp/run", SocketPath = "/x.sock" }.Socket, Is.EqualTo("/x.sock"));
    }
}
