using GradientNode.Core.Catalog;
using GradientNode.Core.Common;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Secrets;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>A replica whose container is removed behind the node's back (<c>docker rm -f</c>) is a restart of its slot.</summary>
internal sealed partial class DeploymentReconcilerTests
{
    [TestCase(false, TestName = "ReconcileAsync_ReplicaRemovedBehindTheNodesBack_ItsSuccessorCarriesTheRestartCountOn")]
    [TestCase(true, TestName = "ReconcileAsync_ReplicaSeenKilledWhileDockerRmRemovesIt_ItsSuccessorCountsNoCrash")]
    public async Task ReconcileAsync_ReplicaRemovedBehindTheNodesBack(bool seenWhileRemoving)
    {
        var (clock, entry, engine, running) = RestartedReplica();
        var reconciler = TestReconcilers.Create(engine, clock, _state, options: new ReconcilerOptions { DrainTime = TimeSpan.Zero });
        await reconciler.ReconcileAsync("app01", entry, CancellationToken.None);
        engine.Containers.Clear(); // docker rm -f
        if (seenWhileRemoving)
        {
            // docker rm -f killed it (exit 137, its die event enqueued a pass) and has not removed it yet. Before, that pass
            // counted a 3rd crash in a row: the slot waited out a 20 s backoff, and its successor said 3.
            engine.Containers.Add(running with { State = new ContainerState(ReplicaObserver.Removing, false, false, false, 137, null, clock.GetUtcNow().AddMinutes(-1), clock.GetUtcNow()) });
        }

        await reconciler.ReconcileAsync("app01", entry, CancellationToken.None);

        // Before: the counters lived only in the removed container's labels, and its successor said 0 restarts.
        Assert.That(engine.Created, Has.Count.EqualTo(1), "started again at once: a removal waits out no crash backoff");
        var created = engine.Created.Single();
        Assert.Multiple(() =>
        {
            Assert.That(created.Labels[ContainerLabels.Replica], Is.EqualTo("0"));
            Assert.That(created.Labels[ContainerLabels.Restarts], Is.EqualTo("4"));
            Assert.That(created.Labels[ContainerLabels.Crashes], Is.EqualTo("2"), "a removal is no crash: the count of short runs stays");
        });
    }

    [Test]
    public async Task ReconcileAsync_ReplicaRemovedWhileTheDaemonWasDown_ItsSuccessorCarriesTheRestartCountOn()
    {
        var (clock, entry, engine, _) = RestartedReplica();
        var path = Path.Combine(_state, SlotCounters.FileName);
        var options = new ReconcilerOptions { DrainTime = TimeSpan.Zero };
        using (var first = new SlotCounters(path, StateFileDamage.Unlogged))
        {
            await TestReconcilers.Create(engine, clock, _state, options: options, counters: first)
                .ReconcileAsync("app01", entry, CancellationToken.None);
        } // the daemon stops (its counts written); docker rm -f; the daemon starts again

        engine.Containers.Clear();

        await TestReconcilers.Create(engine, clock, _state, options: options, counters: new SlotCounters(path, StateFileDamage.Unlogged))
            .ReconcileAsync("app01", entry, CancellationToken.None);

        // Before: the counts lived in memory only, and the new daemon's replica said 0 restarts.
        Assert.That(engine.Created.Single().Labels[ContainerLabels.Restarts], Is.EqualTo("4"));
    }

    [Test]
    public async Task ReconcileAsync_DeploymentRemovedWhileTheDaemonWasDown_ItsCountsForgotten()
    {
        var clock = new FakeTimeProvider();
        var path = Path.Combine(_state, SlotCounters.FileName);
        using (var before = new SlotCounters(path, StateFileDamage.Unlogged))
        {
            before.Remember("gone1", "0123456789ab", [0], [ReconcilerTestData.Replica(0, "0123456789ab") with { Restarts = 2 }]);
        }

        using var counters = new SlotCounters(path, StateFileDamage.Unlogged);
        var reconciler = TestReconcilers.Create(new RecordingEngine(), clock, _state, counters: counters);
        var remembered = reconciler.RememberedSlugs.ToList();

        await reconciler.ReconcileAsync("gone1", null, CancellationToken.None);
        counters.Flush();

        Assert.Multiple(() =>
        {
            Assert.That(remembered, Is.EqualTo(new[] { "gone1" }), "the resync looks at it");
            Assert.That(new SlotCounters(path, StateFileDamage.Unlogged).Slugs, Is.Empty);
        });
    }

    /// <summary>
    /// Deployment app01 (1 replica) on an engine with its image and replica 0 running: 3 restarts, the last 2 of them
    /// crashes in a row, restarted a minute ago.
    /// </summary>
    private (FakeTimeProvider Clock, CatalogEntry Entry, RecordingEngine Engine, ContainerDetails Running) RestartedReplica()
    {
        var clock = new FakeTimeProvider();
        var entry = Entry("app01", 1);
        var hash = new VersionHasher(new RestartGenerations(_state)).Compute(entry.Spec!);
        var engine = new RecordingEngine();
        engine.Images.Add(Image);
        var seen = Replica("c0", 0, hash, running: true, clock);
        var running = seen with
        {
            Labels = new Dictionary<string, string>(seen.Labels) { [ContainerLabels.Restarts] = "3", [ContainerLabels.Crashes] = "2" },
            State = seen.State with { StartedAt = clock.GetUtcNow().AddMinutes(-1) },
        };
        engine.Containers.Add(running);
        return (clock, entry, engine, running);
    }
}
