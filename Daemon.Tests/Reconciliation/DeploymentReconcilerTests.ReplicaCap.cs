using System.Net;
using System.Net.Sockets;
using GradientNode.Core.Catalog;
using GradientNode.Core.Common;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>The node-wide replica bound (<c>--max-replicas</c>): what does not fit waits, named in status, and starts once room frees.</summary>
internal sealed partial class DeploymentReconcilerTests
{
    [Test]
    public async Task ReconcileAsync_MoreReplicasThanTheNodeAdmits_CreatesWhatFitsAndTheStatusNamesTheSetting()
    {
        var engine = new ScriptedPullEngine();
        engine.AddImage(Image);
        var reconciler = TestReconcilers.Create(engine, new FakeTimeProvider(), _state, options: new ReconcilerOptions { MaxReplicas = 3 });
        await reconciler.ReconcileAsync("first", Entry("first", 2), CancellationToken.None);
        var createdBefore = engine.Created;

        var capped = await reconciler.ReconcileAsync("second", Entry("second", 2), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(createdBefore, Is.EqualTo(2));
            Assert.That(engine.Created - createdBefore, Is.EqualTo(1), "only the replica that fits is created");
            Assert.That(capped.Status?.State, Is.EqualTo(DeploymentState.Progressing));
            Assert.That(capped.Status?.Message, Is.EqualTo("0/2 ready: replica 1 is refused: this node runs at most 3 replicas (maxReplicas in node.yaml, --max-replicas) and other deployments hold 2; it starts when room frees"));
            Assert.That(capped.RecheckAfter, Is.EqualTo(TimeSpan.FromSeconds(15)), "looked at again for room, not every second");
        });
    }

    [Test]
    public async Task ReconcileAsync_AnotherDeploymentDeleted_TheRefusedReplicaStarts()
    {
        var engine = new ScriptedPullEngine();
        engine.AddImage(Image);
        var reconciler = TestReconcilers.Create(engine, new FakeTimeProvider(), _state, options: new ReconcilerOptions { MaxReplicas = 1 });
        await reconciler.ReconcileAsync("first", Entry("first", 1), CancellationToken.None);
        var refused = await reconciler.ReconcileAsync("second", Entry("second", 1), CancellationToken.None);
        var createdBefore = engine.Created;

        await reconciler.ReconcileAsync("first", null, CancellationToken.None);
        var admitted = await reconciler.ReconcileAsync("second", Entry("second", 1), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(refused.Status?.Message, Does.Contain("replica 0 is refused: this node runs at most 1 replicas"));
            Assert.That(createdBefore, Is.EqualTo(1), "only the first deployment's replica");
            Assert.That(engine.Created, Is.EqualTo(2), "the second's replica once the first was deleted");
            Assert.That(admitted.Status?.Message, Does.Not.Contain("refused"));
        });
    }

    [Test]
    public async Task ReconcileAsync_CapAdmitsTwoOfThreeWhileReplicaZeroExitedAndOneAndTwoServe_NothingStartsAndNothingThatServesStops()
    {
        // newuser5's F9: a node restarted with a lowered maxReplicas after replica 0 was killed. Before, it started a new
        // replica 0 and then stopped the running, ready replica 2 ("scaled down to 2").
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var entry = Entry("app01", 3, port);
        var hash = new VersionHasher(new RestartGenerations(_state)).Compute(entry.Spec!);
        var clock = new FakeTimeProvider();
        var engine = new RecordingEngine();
        engine.Containers.AddRange([Replica("c0", 0, hash, running: false, clock), Replica("c1", 1, hash, running: true, clock), Replica("c2", 2, hash, running: true, clock)]);
        var reconciler = TestReconcilers.Create(engine, clock, _state, options: new ReconcilerOptions { MaxReplicas = 2, DrainTime = TimeSpan.Zero });

        var outcome = await reconciler.ReconcileAsync("app01", entry, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(engine.Created, Is.Empty, "no new replica in place of one that runs");
            Assert.That(engine.Stopped, Is.Empty, "no replica that serves is stopped");
            Assert.That(engine.Removed, Is.EqualTo(new[] { "c0" }), "only the exited container goes");
            Assert.That(outcome.Status?.ReadyReplicas, Is.EqualTo(2));
            Assert.That(outcome.Status?.Message, Is.EqualTo("2/3 ready: replica 0 is refused: this node runs at most 2 replicas (maxReplicas in node.yaml, --max-replicas) and other deployments hold 0; it starts when room frees"));
        });
    }

    [Test]
    public async Task ReconcileAsync_ARolloutsNewAndOldReplicaAtOneIndex_CountAsOneReplicaAgainstTheCap()
    {
        // "A rollout's surge replica is the same replica, not one more": before, the two containers at index 0 counted as
        // two replicas served, and the deployment was admitted a second replica past the cap.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var clock = new FakeTimeProvider();
        var engine = new RecordingEngine();
        var reconciler = TestReconcilers.Create(engine, clock, _state, options: new ReconcilerOptions { MaxReplicas = 1, DrainTime = TimeSpan.Zero });
        var entry = Entry("app01", 2, port);
        var hash = new VersionHasher(new RestartGenerations(_state)).Compute(entry.Spec!);
        engine.Containers.AddRange([Replica("old0", 0, "0123456789ab", running: true, clock), Replica("new0", 0, hash, running: true, clock)]);

        var outcome = await reconciler.ReconcileAsync("app01", entry, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Status?.DesiredReplicas, Is.EqualTo(2));
            Assert.That(outcome.Status?.Message, Does.Contain("replica 1 is refused: this node runs at most 1 replicas (maxReplicas in node.yaml, --max-replicas) and other deployments hold 0"));
        });
    }

    private static ContainerDetails Replica(string id, int index, string hash, bool running, FakeTimeProvider clock) => new(
        id,
        $"/gradient-app01-{index}",
        Image,
        new Dictionary<string, string> { [ContainerLabels.Deployment] = "app01", [ContainerLabels.Replica] = $"{index}", [ContainerLabels.SpecHash] = hash },
        new ContainerState(running ? "running" : "exited", running, false, false, running ? 0 : 137, null, clock.GetUtcNow().AddMinutes(-10), running ? null : clock.GetUtcNow().AddMinutes(-1)),
        running ? "127.0.0.1" : null,
        clock.GetUtcNow().AddMinutes(-10),
        0)
    {
        CapDrop = [.. ContainerCapabilities.Dropped],
    };

    private static CatalogEntry Entry(string name, int replicas, int port = 8080)
    {
        var spec = SpecParser.Parse($"/specs/{name}.yaml", $"""
            name: {name}
            image: {Image}
            resources:
              machineType: C4
              ports: [{port}]
              replicas: {replicas}
            """).Spec!;
        return new CatalogEntry(spec.Slug, spec.Name, $"/specs/{name}.yaml", spec, EquatableArray<SpecError>.Empty, EquatableArray<string>.Empty);
    }
}
