using GradientNode.Core.Routing;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Routing;

/// <summary>
/// A daemon that starts while the engine does not answer observes no deployment: once the warm-up ends, the table
/// it writes keeps the routes of the one written before for those deployments, so the proxy keeps serving the
/// replicas that still run (before, it wrote an empty table and every endpoint answered 404).
/// </summary>
internal sealed partial class RoutePublisherTests
{
    [Test]
    public async Task Publish_DeploymentNotObservedSinceTheStart_KeepsItsRouteFromTheTableWrittenBefore()
    {
        var (publisher, store, _, _) = await NewAsync(("hello.yaml", Spec("hello", string.Empty)));
        publisher.RememberPublished(new RouteTable(1, _clock.GetUtcNow(), [Published("hello")]));

        publisher.Publish();

        var route = Route(store, "hello");
        Assert.That(route, Is.Not.Null, "the replicas still run; the proxy must not forget them");
        Assert.That(route!.Replicas.Select(r => (r.Address, r.Ready)), Is.EqualTo(new[] { ("10.0.0.2:8080", true) }));
    }

    [Test]
    public async Task Publish_DeploymentObservedAfterTheStart_TakesTheObservedReplicas()
    {
        var (publisher, store, statuses, _) = await NewAsync(("hello.yaml", Spec("hello", string.Empty)));
        publisher.RememberPublished(new RouteTable(1, _clock.GetUtcNow(), [Published("hello")]));
        publisher.Publish();

        statuses.Set("hello", Status("hello", replicas: 2));
        publisher.Publish();
        statuses.Set("hello", null);
        publisher.Publish();

        Assert.That(Route(store, "hello"), Is.Null, "once observed, the old route is never carried again");
    }

    [Test]
    public async Task Publish_UnobservedDeploymentWhoseSpecIsGone_IsNotCarried()
    {
        var (publisher, store, _, _) = await NewAsync(("other.yaml", Spec("other", string.Empty)));
        publisher.RememberPublished(new RouteTable(1, _clock.GetUtcNow(), [Published("hello")]));

        publisher.Publish();

        Assert.That(Route(store, "hello"), Is.Null);
    }

    [Test]
    public async Task Publish_UnobservedDeploymentProtectedSinceTheLastTable_TakesTheProtectionOfItsSpec()
    {
        _secrets.Set("pw", "s3cret-pw"u8);
        var (publisher, store, _, _) = await NewAsync(("hello.yaml", Spec("hello", "basicAuthKey: secret:pw")));
        publisher.RememberPublished(new RouteTable(1, _clock.GetUtcNow(), [Published("hello")]));

        publisher.Publish();

        Assert.That(Route(store, "hello")?.ExpectedAuthorization, Is.EqualTo(BasicHeader(Password)));
    }

    private static DeploymentRoute Published(string slug) =>
        new(slug, slug, true, [new ReplicaRoute($"{slug}-0-c0", "10.0.0.2:8080", true)]);
}
