using GradientNode.Core.Routing;
using GradientNode.Proxy.Metrics;
using GradientNode.Proxy.Routing;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Routing;

[TestFixture]
[Category("Unit")]
internal sealed class RouteSnapshotTests
{
    [TestCase("hello.localhost", "hello")]
    [TestCase("hello.localhost:8080", "hello")]
    [TestCase("HELLO.LocalHost:1", "HELLO")]
    [TestCase("hello.localhost.", "hello")]
    public void TryGetLabel_HostUnderDomain_ReturnsLabel(string host, string expected)
    {
        Assert.That(RouteSnapshot.TryGetLabel(host, "localhost", out var label), Is.True);
        Assert.That(label.ToString(), Is.EqualTo(expected));
    }

    [TestCase("")]
    [TestCase("localhost")]
    [TestCase("localhost:8080")]
    [TestCase(".localhost")]
    [TestCase("a.b.localhost")]
    [TestCase("hello.example.com")]
    [TestCase("hellolocalhost")]
    [TestCase("[::1]:8080")]
    public void TryGetLabel_OtherHost_ReturnsFalse(string host) =>
        Assert.That(RouteSnapshot.TryGetLabel(host, "localhost", out _), Is.False);

    [Test]
    public void FindByHost_KnownSlug_ReturnsCompiledRoute()
    {
        var table = new RouteTable(1, DateTimeOffset.UnixEpoch,
        [
            new DeploymentRoute("hello", "Hello", true, [new ReplicaRoute("a", "10.0.0.1:80", true), new ReplicaRoute("b", "10.0.0.2:80", false)],
                "Basic dG9rZW4="),
        ]);
        var snapshot = RouteSnapshot.Create(table, "example.test", new ProxyMetrics(TimeProvider.System));

        var route = snapshot.FindByHost("Hello.example.test:9000");

        Assert.That(route, Is.Not.Null);
        Assert.That(route!.ReadyReplicas, Is.EqualTo(1));
        Assert.That(route.ExpectedToken, Is.EqualTo("dG9rZW4="));
        Assert.That(route.Challenge, Is.EqualTo("Basic realm=\"Hello\""));
        Assert.That(snapshot.FindByHost("other.example.test"), Is.Null);
    }
}
