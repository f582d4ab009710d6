using GradientNode.Core.Catalog;
using GradientNode.Core.Common;
using GradientNode.Core.Reconciliation;
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

    private static CatalogEntry Entry(string name, int replicas)
    {
        var spec = SpecParser.Parse($"/specs/{name}.yaml", $"""
            name: {name}
            image: {Image}
            resources:
              machineType: C4
              ports: [8080]
              replicas: {replicas}
            """).Spec!;
        return new CatalogEntry(spec.Slug, spec.Name, $"/specs/{name}.yaml", spec, EquatableArray<SpecError>.Empty, EquatableArray<string>.Empty);
    }
}
