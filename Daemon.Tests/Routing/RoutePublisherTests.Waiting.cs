using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Routing;

/// <summary>
/// Why no replica is ready, carried to the proxy for a held request's 503 (proxy19's finding): before, a change of that
/// reason alone (same replicas, same readiness) did not write the table again, and the 503 gave the old reason.
/// </summary>
internal sealed partial class RoutePublisherTests
{
    [Test]
    public async Task Publish_NoReplicaReadyAndOnlyTheReasonChanged_WritesTheTableAgainWithTheNewReason()
    {
        var (publisher, store, statuses, _) = await NewAsync(("wait.yaml", Spec("wait", string.Empty)));
        var notReady = Status("wait") with { State = DeploymentState.Progressing };
        notReady = notReady with { Replicas = [notReady.Replicas[0] with { Ready = false }] };
        statuses.Set("wait", notReady);
        publisher.Publish();
        var before = store.LastGood.Version;
        var said = Route(store, "wait")?.Waiting;

        // Same replica, same address, still not ready: it exited and is being restarted.
        statuses.Set("wait", notReady with { Replicas = [notReady.Replicas[0] with { State = "exited" }] });
        _clock.Advance(TimeSpan.FromSeconds(1));
        publisher.Publish();

        Assert.Multiple(() =>
        {
            Assert.That(said, Does.Contain("running but has not passed its readiness check"));
            Assert.That(store.LastGood.Version, Is.GreaterThan(before), "the table was written again");
            Assert.That(Route(store, "wait")?.Waiting, Is.EqualTo("its replicas exited and are being restarted"));
        });
    }
}
