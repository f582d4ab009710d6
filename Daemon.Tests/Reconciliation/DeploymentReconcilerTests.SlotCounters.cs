using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Secrets;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>A replica whose container is removed behind the node's back (<c>docker rm -f</c>) is a restart of its slot.</summary>
internal sealed partial class DeploymentReconcilerTests
{
    [Test]
    public async Task ReconcileAsync_ReplicaRemovedBehindTheNodesBack_ItsSuccessorCarriesTheRestartCountOn()
    {
        var clock = new FakeTimeProvider();
        var entry = Entry("app01", 1);
        var hash = new VersionHasher(new RestartGenerations(_state)).Compute(entry.Spec!);
        var engine = new RecordingEngine();
        engine.Images.Add(Image);
        var seen = Replica("c0", 0, hash, running: true, clock);
        engine.Containers.Add(seen with
        {
            Labels = new Dictionary<string, string>(seen.Labels) { [ContainerLabels.Restarts] = "3", [ContainerLabels.Crashes] = "2" },
            State = seen.State with { StartedAt = clock.GetUtcNow().AddMinutes(-1) }, // restarted a minute ago, after crashes
        });
        var reconciler = TestReconcilers.Create(engine, clock, _state, options: new ReconcilerOptions { DrainTime = TimeSpan.Zero });
        await reconciler.ReconcileAsync("app01", entry, CancellationToken.None);
        engine.Containers.Clear(); // docker rm -f

        await reconciler.ReconcileAsync("app01", entry, CancellationToken.None);

        // Before: the counters lived only in the removed container's labels, and its successor said 0 restarts.
        var created = engine.Created.Single();
        Assert.Multiple(() =>
        {
            Assert.That(created.Labels[ContainerLabels.Replica], Is.EqualTo("0"));
            Assert.That(created.Labels[ContainerLabels.Restarts], Is.EqualTo("4"));
            Assert.That(created.Labels[ContainerLabels.Crashes], Is.EqualTo("2"), "a removal is no crash: the count of short runs stays");
        });
    }
}
