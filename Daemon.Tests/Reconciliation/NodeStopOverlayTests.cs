using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class NodeStopOverlayTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Apply_ExitedContainerTheNodeStopped_CarriesTheReasonAndGoneOnesAreForgotten()
    {
        var store = new NodeStopStore();
        store.Record("web", "c0", "liveness probe failed 3 times in a row", Now);
        store.Record("web", "gone", "GPU lost", Now);
        var stopped = Replica("c0", running: false);
        var crashed = Replica("c1", running: false);

        var result = new NodeStopOverlay(store).Apply("web", null, "h", 80, [stopped, crashed]);

        Assert.Multiple(() =>
        {
            Assert.That(result.Select(r => r.StoppedByNode), Is.EqualTo(new[] { "liveness probe failed 3 times in a row", null }));
            Assert.That(store.ReasonOf("gone"), Is.Null);
        });
    }

    [Test]
    public void Apply_RunningContainerWithARecord_NotYetStoppedSoNoReason()
    {
        var store = new NodeStopStore();
        store.Record("web", "c0", "liveness probe failed", Now);

        var result = new NodeStopOverlay(store).Apply("web", null, "h", 80, [Replica("c0", running: true)]);

        Assert.That(result.Single().StoppedByNode, Is.Null);
    }

    private static ObservedReplica Replica(string id, bool running) => new()
    {
        ContainerId = id,
        ContainerName = $"gradient-web-0-{id}",
        Index = 0,
        SpecHash = "h",
        Running = running,
        State = running ? "running" : "exited",
        ExitCode = running ? null : 0,
    };
}
