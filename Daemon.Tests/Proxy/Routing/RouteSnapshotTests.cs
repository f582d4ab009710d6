using GradientNode.Core.Routing;
using GradientNode.Proxy;
using GradientNode.Proxy.Metrics;
using GradientNode.Proxy.Routing;
using Microsoft.AspNetCore.Http;
using NUnit.Framework;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

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
        var snapshot = RouteSnapshot.Create(table, new ProxyOptions { Domain = "example.test" }, new ProxyMetrics(TimeProvider.System));

        var route = snapshot.FindByHost("Hello.example.test:9000");

        Assert.That(route, Is.Not.Null);
        Assert.That(route!.ReadyReplicas, Is.EqualTo(1));
        Assert.That(route.ExpectedToken, Is.EqualTo("dG9rZW4="));
        Assert.That(route.Challenge, Is.EqualTo("Basic realm=\"Hello\""));
        Assert.That(snapshot.FindByHost("other.example.test"), Is.Null);
    }

    [Test]
    public void Create_EnabledDisabledProtected_YarpConfigOfEnabledReadyReplicas()
    {
        var table = new RouteTable(1, DateTimeOffset.UnixEpoch,
        [
            new DeploymentRoute("open", "open", true, [new ReplicaRoute("a", "10.0.0.1:80", true), new ReplicaRoute("b", "10.0.0.2:80", false)]),
            new DeploymentRoute("off", "off", false, [new ReplicaRoute("c", "10.0.0.3:80", true)]),
            new DeploymentRoute("locked", "locked", true, [new ReplicaRoute("d", "10.0.0.4:80", true)], "Basic dG9rZW4="),
        ]);

        var snapshot = RouteSnapshot.Create(table, new ProxyOptions { Domain = "example.test" }, new ProxyMetrics(TimeProvider.System));

        Assert.That(snapshot.Routes.Select(r => r.RouteId), Is.EqualTo(new[] { "open", "locked" }), "a disabled deployment has no YARP route");
        Assert.That(snapshot.Routes[0].Match.Hosts, Is.EqualTo(new[] { "open.example.test" }));
        Assert.That(snapshot.Routes[0].Transforms, Is.Null.Or.Empty, "a public route forwards Authorization");
        Assert.That(snapshot.Routes[1].Transforms!.Single()["RequestHeaderRemove"], Is.EqualTo("Authorization"));
        Assert.That(snapshot.Clusters[0].Destinations!.Values.Select(d => d.Address), Is.EqualTo(new[] { "http://10.0.0.1:80" }));
        Assert.That(snapshot.Find("off")!.Enabled, Is.False, "the gateway still knows it, to answer 503");
    }

    [Test]
    public void AttachEndpoints_YarpEndpoints_SetOnRoutesWithTheirId()
    {
        var snapshot = Snapshot("hello", "other");
        var hello = YarpEndpoint("hello");

        snapshot.AttachEndpoints([hello, YarpEndpoint("gone")]);

        Assert.That(snapshot.Find("hello")!.Endpoint, Is.SameAs(hello));
        Assert.That(snapshot.Find("other")!.Endpoint, Is.Null);
    }

    [Test]
    public void Supersede_Called_FiresChangeToken()
    {
        var snapshot = Snapshot("hello");

        snapshot.Supersede();

        Assert.That(snapshot.ChangeToken.HasChanged, Is.True);
    }

    private static RouteSnapshot Snapshot(params string[] slugs) => RouteSnapshot.Create(
        new RouteTable(1, DateTimeOffset.UnixEpoch, [.. slugs.Select(s => new DeploymentRoute(s, s, true, [], null))]),
        new ProxyOptions(),
        new ProxyMetrics(TimeProvider.System));

    private static Endpoint YarpEndpoint(string routeId) => new(
        static _ => Task.CompletedTask,
        new EndpointMetadataCollection(new RouteModel(new RouteConfig { RouteId = routeId, ClusterId = routeId }, null, HttpTransformer.Empty)),
        routeId);
}
