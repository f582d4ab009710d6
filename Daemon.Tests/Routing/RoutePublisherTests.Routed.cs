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
}
