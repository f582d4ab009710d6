using GradientNode.Core.Routing;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Routing;

/// <summary>
/// <see cref="GradientNode.Core.Routing.RoutePublisher.Routed"/>: whether the table written for the proxy has the ready
/// replicas a status shows, so that <c>apply --wait</c> does not say "rolled out" before a request can reach them.
/// </summary>
internal sealed partial class RoutePublisherTests
{
    [Test]
    public async Task Routed_StatusAheadOfTheTableWritten_FalseUntilTheNextWrite()
    {
        var (publisher, _, statuses, _) = await NewAsync(("web.yaml", Spec("web", string.Empty)));
        var starting = Status("web", replicas: 2);
        starting = starting with { Replicas = [.. starting.Replicas.Select(r => r with { Ready = false })] };
        statuses.Set("web", starting);
        publisher.Publish();
        Assert.That(publisher.Routed(starting), Is.True, "no replica ready, and the table has none ready");

        // Both replicas became ready; the table is written at the end of the publisher's window, not yet.
        var ready = Status("web", replicas: 2);
        statuses.Set("web", ready);
        Assert.That(publisher.Routed(ready), Is.False);

        publisher.Publish();
        Assert.That(publisher.Routed(ready), Is.True);
    }

    [Test]
    public async Task Routed_DeploymentNotInTheTable_FalseWhileItHasReadyReplicas()
    {
        var (publisher, _, statuses, _) = await NewAsync(("web.yaml", Spec("web", string.Empty)));
        publisher.Publish();

        Assert.That(publisher.Routed(Status("web")), Is.False);
        Assert.That(publisher.Routed(Status("web", replicas: 0)), Is.True);
    }

    [Test]
    public async Task Routed_NoTableWrittenYet_CannotSay()
    {
        var (publisher, _, _, _) = await NewAsync(("web.yaml", Spec("web", string.Empty)));

        Assert.That(publisher.Routed(Status("web")), Is.Null);
    }

    [Test]
    public async Task Routed_TableCannotBeWritten_CannotSay()
    {
        var (publisher, _, statuses, _) = await NewAsync((_, _) => throw new IOException("No space left on device"), ("web.yaml", Spec("web", string.Empty)));
        statuses.Set("web", Status("web"));
        publisher.Publish();

        Assert.That(publisher.Routed(Status("web")), Is.Null);
    }

    [Test]
    public async Task Routed_ProxyServesAnOlderTable_FalseUntilItAnswersWithTheWrittenOne()
    {
        var (publisher, store, statuses, _) = await NewAsync(("web.yaml", Spec("web", string.Empty)));
        Directory.CreateDirectory(store.Directory);
        AppliedRoutesFile.Write(store.Directory, 0); // a proxy of its own process, serving nothing yet
        var ready = Status("web");
        statuses.Set("web", ready);
        publisher.Publish();
        var written = store.LastGood.Version;

        Assert.That(publisher.Routed(ready), Is.False, "written, but the proxy has not read it yet");

        AppliedRoutesFile.Write(store.Directory, written);
        Assert.That(publisher.Routed(ready), Is.True);
    }

    [Test]
    public async Task Routed_LaterTableChangesAnotherDeploymentOnly_StillTrueWhileTheProxyServesTheEarlierOne()
    {
        var (publisher, store, statuses, _) = await NewAsync(("web.yaml", Spec("web", string.Empty)), ("api.yaml", Spec("api", string.Empty)));
        var web = Status("web");
        statuses.Set("web", web);
        publisher.Publish();
        AppliedRoutesFile.Write(store.Directory, store.LastGood.Version);

        _clock.Advance(TimeSpan.FromSeconds(1));
        var api = Status("api");
        statuses.Set("api", api);
        publisher.Publish();

        Assert.Multiple(() =>
        {
            Assert.That(publisher.Routed(web), Is.True, "web's replicas are in the table the proxy serves");
            Assert.That(publisher.Routed(api), Is.False, "api's are not yet");
        });
    }

    [Test]
    public async Task Routed_NoProxyAnswers_TheTableWrittenCounts()
    {
        var (publisher, store, statuses, _) = await NewAsync(("web.yaml", Spec("web", string.Empty)));
        var ready = Status("web");
        statuses.Set("web", ready);
        publisher.Publish();

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(AppliedRoutesFile.PathIn(store.Directory)), Is.False);
            Assert.That(publisher.Routed(ready), Is.True);
        });
    }

    [Test]
    public async Task Publish_TwoWritesInOneMillisecond_VersionsStillGrow()
    {
        var (publisher, store, statuses, _) = await NewAsync(("web.yaml", Spec("web", string.Empty)));
        statuses.Set("web", Status("web"));
        publisher.Publish();
        var first = store.LastGood.Version;

        statuses.Set("web", Status("web", replicas: 2));
        publisher.Publish();

        Assert.That(store.LastGood.Version, Is.GreaterThan(first));
    }
}
