using GradientNode.Core.Routing;
using GradientNode.Proxy.Metrics;
using GradientNode.Proxy.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NUnit.Framework;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Forwarder;

namespace GradientNode.Tests.Proxy.Routing;

[TestFixture]
[Category("Unit")]
internal sealed class RouteEndpointsTests
{
    [Test]
    public void Attach_AfterConnect_SetsEachRoutesYarpEndpoint()
    {
        var snapshot = Snapshot("hello", "other");
        var hello = YarpEndpoint("hello");
        var endpoints = new RouteEndpoints();

        endpoints.Connect(new DefaultEndpointDataSource(hello, YarpEndpoint("gone")), snapshot);

        Assert.That(snapshot.Find("hello")!.Endpoint, Is.SameAs(hello));
        Assert.That(snapshot.Find("other")!.Endpoint, Is.Null);
    }

    [Test]
    public void Attach_BeforeConnect_LeavesEndpointsUnset()
    {
        var snapshot = Snapshot("hello");

        new RouteEndpoints().Attach(snapshot);

        Assert.That(snapshot.Find("hello")!.Endpoint, Is.Null);
    }

    private static RouteSnapshot Snapshot(params string[] slugs) => RouteSnapshot.Create(
        new RouteTable(1, DateTimeOffset.UnixEpoch, [.. slugs.Select(s => new DeploymentRoute(s, s, true, [], null))]),
        "localhost",
        new ProxyMetrics(TimeProvider.System));

    private static Endpoint YarpEndpoint(string routeId) => new(
        static _ => Task.CompletedTask,
        new EndpointMetadataCollection(new RouteModel(new RouteConfig { RouteId = routeId, ClusterId = routeId }, null, HttpTransformer.Empty)),
        routeId);
}
