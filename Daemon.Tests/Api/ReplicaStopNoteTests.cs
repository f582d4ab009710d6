using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;
using GradientNode.Daemon.Api;
using GradientNode.Tests.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class ReplicaStopNoteTests
{
    private const string Name = "gradient-web-1-abc123";
    private static readonly DateTimeOffset At = new(2026, 12, 7, 21, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task OfAsync_NodeScaledItDown_SaysTheReasonNotTheDrain()
    {
        var journal = new ReplicaJournal();
        journal.Record("web-1", "stopping", $"{Name}: scaled down to 1", At);
        journal.Record("web-1", "stopping", $"{Name}: {StatusBuilder.Draining}", At.AddSeconds(1));
        var engine = Engine(Exited(0));

        Assert.That(await ReplicaStopNote.OfAsync(engine, null, journal, "web", Summary(), CancellationToken.None), Is.EqualTo("(replica 1 stopped: scaled down to 1)"));
    }

    [Test]
    public async Task OfAsync_NodeStoppedItForAProbe_SaysTheNodesReason()
    {
        var stops = new NodeStopStore();
        stops.Record("web", "c1", "liveness probe failed 3 times", At);

        Assert.That(await ReplicaStopNote.OfAsync(Engine(Exited(143)), stops, new ReplicaJournal(), "web", Summary(), CancellationToken.None), Is.EqualTo("(replica 1 stopped: liveness probe failed 3 times)"));
    }

    [Test]
    public async Task OfAsync_Crashed_SaysItsExit()
    {
        Assert.Multiple(async () =>
        {
            Assert.That(await ReplicaStopNote.OfAsync(Engine(Exited(3)), null, new ReplicaJournal(), "web", Summary(), CancellationToken.None), Is.EqualTo("(replica 1 stopped: exited with code 3)"));
            Assert.That(await ReplicaStopNote.OfAsync(Engine(Exited(137, oom: true)), null, null, "web", Summary(), CancellationToken.None), Does.StartWith("(replica 1 stopped: exited with code 137").And.EndWith(", killed for going over its memory limit)"));
        });
    }

    [Test]
    public async Task OfAsync_GoneBeforeItWasLookedAt_SaysTheExitTheNodeSawElseRemoved()
    {
        var journal = new ReplicaJournal();
        journal.Record("web-1", "failed", $"{Name}: exited with code 3", At);

        Assert.Multiple(async () =>
        {
            Assert.That(await ReplicaStopNote.OfAsync(new RecordingEngine(), null, journal, "web", Summary(), CancellationToken.None), Is.EqualTo("(replica 1 stopped: exited with code 3)"));
            Assert.That(await ReplicaStopNote.OfAsync(new RecordingEngine(), null, new ReplicaJournal(), "web", Summary(), CancellationToken.None), Is.EqualTo("(replica 1 stopped: its container was removed)"));
        });
    }

    [Test]
    public async Task OfAsync_StillRunning_NoNote()
    {
        var running = Exited(0) with { State = new ContainerState("running", true, false, false, 0, null, At, null) };

        Assert.That(await ReplicaStopNote.OfAsync(Engine(running), null, null, "web", Summary(), CancellationToken.None), Is.Null);
    }

    private static RecordingEngine Engine(ContainerDetails details)
    {
        var engine = new RecordingEngine();
        engine.Containers.Add(details);
        return engine;
    }

    private static ContainerDetails Exited(int code, bool oom = false) =>
        new("c1", "/" + Name, "web:1", Labels, new ContainerState("exited", false, false, oom, code, null, At, At.AddSeconds(5)), null, At, 0);

    private static ContainerSummary Summary() => new("c1", Name, "web:1", Labels, "exited", "Exited", At);

    private static Dictionary<string, string> Labels => new() { [ContainerLabels.Deployment] = "web", [ContainerLabels.Replica] = "1" };
}
