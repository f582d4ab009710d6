using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>node-stops.json loses the records of containers that are gone, with the resync's own listing.</summary>
internal sealed partial class ReconcilerServiceTests
{
    [Test]
    public async Task ExecuteAsync_RecordOfAContainerRemovedByHandWhoseDeploymentIsNeverSeenAgain_DroppedByTheResync()
    {
        var clock = new FakeTimeProvider();
        var engine = new ScriptedPullEngine();
        engine.AddImage(Image);
        engine.Listed.Add(new ContainerSummary(
            "still-there",
            "gradient-other-0-abcdef",
            Image,
            new Dictionary<string, string> { [ContainerLabels.Node] = "default" },
            "exited",
            "Exited (0) 5 minutes ago",
            clock.GetUtcNow()));
        var state = Path.Combine(_dir, "state");
        Directory.CreateDirectory(state);
        var stops = new NodeStopStore(state);
        stops.Record("gone-for-good", "removed-by-hand", "GPU lost", clock.GetUtcNow());
        stops.Record("other", "still-there", "liveness probe failed 3 times in a row", clock.GetUtcNow());
        var (service, _) = Service(engine, clock, stops: stops);
        await WhileRunningAsync(service, async () =>
        {
            await service.FirstPass.WaitAsync(TestTimeouts.Short);
        });

        Assert.Multiple(() =>
        {
            Assert.That(stops.ReasonOf("removed-by-hand"), Is.Null, "no container has that id any more");
            Assert.That(new NodeStopStore(state).ReasonOf("removed-by-hand"), Is.Null, "and node-stops.json no longer has it");
            Assert.That(stops.ReasonOf("still-there"), Is.EqualTo("liveness probe failed 3 times in a row"));
        });
    }
}
