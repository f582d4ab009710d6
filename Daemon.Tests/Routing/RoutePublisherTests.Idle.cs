using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Routing;

/// <summary>Idle cost: a pass of the publisher's loop with no changed input builds nothing.</summary>
internal sealed partial class RoutePublisherTests
{
    [Test]
    public async Task PublishIfChanged_NoInputChanged_BuildsNothing()
    {
        var (publisher, store, statuses, specs) = await NewAsync(("web.yaml", Spec("web", string.Empty)));
        statuses.Set("web", Status("web"));
        publisher.PublishIfChanged();
        var written = store.LastGood;
        Assert.That(publisher.Builds, Is.EqualTo(1));

        // A rescan that finds nothing new, a reconcile that observes the same replicas later, the loop's 5 s wake-ups.
        await specs.ScanAsync(CancellationToken.None);
        statuses.Set("web", Status("web") with { ObservedAt = _clock.GetUtcNow().AddSeconds(15) });
        for (var i = 0; i < 10; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            publisher.PublishIfChanged();
        }

        Assert.Multiple(() =>
        {
            Assert.That(publisher.Builds, Is.EqualTo(1));
            Assert.That(store.LastGood, Is.SameAs(written), "nothing was written either");
        });
    }

    [TestCase("status")]
    [TestCase("spec")]
    [TestCase("secret")]
    [TestCase("refresh")]
    public async Task PublishIfChanged_OneInputChanged_BuildsAgain(string input)
    {
        var (publisher, _, statuses, specs) = await NewAsync(("web.yaml", Spec("web", string.Empty)));
        statuses.Set("web", Status("web"));
        publisher.PublishIfChanged();

        switch (input)
        {
            case "status":
                statuses.Set("web", Status("web", replicas: 2));
                break;
            case "spec":
                await specs.WriteAsync(Path.Combine(_specs, "web.yaml"), Spec("web", "enabled: false"), CancellationToken.None);
                break;
            case "secret":
                publisher.Invalidate();
                break;
            default:
                _clock.Advance(TimeSpan.FromMinutes(1));
                break;
        }

        publisher.PublishIfChanged();

        Assert.That(publisher.Builds, Is.EqualTo(2));
    }
}
