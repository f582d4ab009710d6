using GradientNode.Core.Engine;
using GradientNode.Tests.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Engine;

[Category("Unit")]
internal sealed class CapabilityAuditTests
{
    private RecordingEngine _engine = null!;
    private CapabilityAudit _audit = null!;

    [SetUp]
    public void SetUp()
    {
        _engine = new RecordingEngine();
        _audit = new CapabilityAudit("node-1");
    }

    [Test]
    public async Task WarningAsync_ContainersFromAnEarlierVersion_CountedAndNamedWithHowToReplaceThem()
    {
        _engine.Containers.AddRange(
        [
            Replica("a1", "app-slug", "app", capDrop: []),
            Replica("a2", "app-slug", "app", capDrop: []),
            Replica("b1", "bert-slug", "bert", capDrop: ["NET_RAW"]),
            Job("j1", "train", capDrop: []),
            Replica("c1", "stopped-slug", "stopped", capDrop: [], running: false),
        ]);

        var warning = await _audit.WarningAsync(_engine, CancellationToken.None);

        Assert.That(warning, Is.EqualTo(
            "3 container(s) of app, workflow train run with NET_RAW (created by an earlier version of the node): they can open "
            + "packet sockets and answer for other replicas' addresses until they are replaced (the node replaces a deployment's "
            + "replicas by a rolling update, each once its successor is ready: see its status; a workflow job's container when its run ends)"));
    }

    [TestCase("NET_RAW")]
    [TestCase("CAP_NET_RAW")]
    [TestCase("net_raw")]
    [TestCase("ALL")]
    public async Task WarningAsync_EveryContainerDropsIt_Null(string written)
    {
        _engine.Containers.AddRange([Replica("a1", "app-slug", "app", capDrop: ["SYS_ADMIN", written]), Job("j1", "train", capDrop: [written])]);

        Assert.That(await _audit.WarningAsync(_engine, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task WarningAsync_CalledAgain_InspectsOnlyContainersItHasNotSeen()
    {
        _engine.Containers.Add(Replica("a1", "app-slug", "app", capDrop: []));
        await _audit.WarningAsync(_engine, CancellationToken.None);
        Assert.That(_engine.Inspections, Is.EqualTo(1));

        // Replaced (the node's rolling update): a new container that drops it, the old one gone.
        _engine.Containers.Clear();
        _engine.Containers.Add(Replica("a2", "app-slug", "app", capDrop: ["NET_RAW"]));
        var afterRestart = await _audit.WarningAsync(_engine, CancellationToken.None);
        var again = await _audit.WarningAsync(_engine, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(afterRestart, Is.Null);
            Assert.That(again, Is.Null);
            Assert.That(_engine.Inspections, Is.EqualTo(2), "each container once");
        });
    }

    private static ContainerDetails Replica(string id, string slug, string name, string[] capDrop, bool running = true) =>
        Details(id, new Dictionary<string, string> { [ContainerLabels.Node] = "node-1", [ContainerLabels.Deployment] = slug, [ContainerLabels.Name] = name }, capDrop, running);

    private static ContainerDetails Job(string id, string workflow, string[] capDrop) =>
        Details(id, new Dictionary<string, string> { [ContainerLabels.Node] = "node-1", [ContainerLabels.Workflow] = workflow, [ContainerLabels.Job] = "j" }, capDrop, running: true);

    private static ContainerDetails Details(string id, Dictionary<string, string> labels, string[] capDrop, bool running) =>
        new(
            id,
            id,
            "img:1",
            labels,
            new ContainerState(running ? "running" : "exited", running, false, false, 0, null, null, null),
            null,
            DateTimeOffset.UnixEpoch,
            0)
        {
            CapDrop = capDrop,
        };
}
