using GradientNode.Core.Catalog;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Routing;
using GradientNode.Core.Secrets;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Routing;

/// <summary>Issue 20: a burst of status changes (50 deployments starting) is one route publication, not 50; counted on the publisher's own clock.</summary>
internal sealed partial class RoutePublisherTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    [Test]
    public async Task ExecuteAsync_FiftyStatusChangesInABurst_OneMoreBuildWhenTheWindowEnds()
    {
        var (publisher, store, statuses, clock) = await StartFiftyAsync();

        // Every deployment turns ready at once, right after the first table.
        for (var i = 0; i < 50; i++)
        {
            statuses.Set($"s{i}", Status($"s{i}"));
        }

        await TestTimeouts.WaitUntilAsync(() => clock.ActiveTimers == 1, "the publisher to wait for the window's end");
        Assert.That(publisher.Builds, Is.EqualTo(1), "nothing is built inside the window");

        _clock.Advance(Window);
        await TestTimeouts.WaitUntilAsync(() => publisher.Builds >= 2, "the burst's table");
        await publisher.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(publisher.Builds, Is.EqualTo(2), "50 changes, one build");
            Assert.That(store.LastGood.Deployments.Count(d => d.Replicas.Any(r => r.Ready)), Is.EqualTo(50), "the one build holds every change");
        });
    }

    [Test]
    public async Task ExecuteAsync_ChangeAfterAQuietWindow_PublishedWithoutWaiting()
    {
        var (publisher, store, statuses, clock) = await StartFiftyAsync();
        _clock.Advance(Window);

        statuses.Set("s7", Status("s7"));

        // The clock does not move: a lone change (a replica turning ready in a rollout) never waits for a window.
        await TestTimeouts.WaitUntilAsync(() => publisher.Builds == 2, "the change's table");
        await publisher.StopAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(store.LastGood.Deployments.Single(d => d.Slug == "s7").Replicas.Single().Ready, Is.True);
            Assert.That(clock.ActiveTimers, Is.Zero);
        });
    }

    /// <summary>A running publisher over 50 deployments whose replicas are not ready yet, after its first build.</summary>
    private async Task<(RoutePublisher Publisher, RouteTableStore Store, StatusStore Statuses, TimerCountingTimeProvider Clock)> StartFiftyAsync()
    {
        for (var i = 0; i < 50; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(_specs, $"s{i}.yaml"), Spec($"s{i}", string.Empty));
        }

        var clock = new TimerCountingTimeProvider(_clock);
        var specs = new SpecDirectoryWatcher(_specs, _state, _clock, NullLogger<SpecDirectoryWatcher>.Instance);
        await specs.ScanAsync(CancellationToken.None);
        var store = new RouteTableStore(Path.Combine(_root, "run"));
        var statuses = new StatusStore();
        for (var i = 0; i < 50; i++)
        {
            var starting = Status($"s{i}");
            statuses.Set($"s{i}", starting with { State = DeploymentState.Progressing, Replicas = [starting.Replicas[0] with { Ready = false }] });
        }

        var authorization = new EndpointAuthorization(new SecretSnapshots(_secrets, _state), new VersionHasher(new RestartGenerations(_state)));
        var publisher = new RoutePublisher(store, statuses, specs, clock, NullLogger<RoutePublisher>.Instance, authorization, Window);
        await publisher.StartAsync(CancellationToken.None);
        await TestTimeouts.WaitUntilAsync(() => publisher.Builds == 1, "the first table");
        return (publisher, store, statuses, clock);
    }
}
