using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
internal sealed class NetworkDisconnectsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 23, 51, 35, TimeSpan.Zero);
    private readonly RecordingEngine _engine = new();

    [Test]
    public async Task DeploymentOfAsync_ReplicaOfThisNodeTakenOffItsNetwork_ItsDeployment()
    {
        // docker network disconnect gradient-node <replica>: before, nothing looked at the replica until the full resync
        // (up to a minute), and every request the proxy sent to its old address hung meanwhile.
        _engine.Containers.Add(Container("c0", "faults9", "web"));

        var slug = await NetworkDisconnects.DeploymentOfAsync(_engine, "faults9", Disconnect("c0"), CancellationToken.None);

        Assert.That(slug, Is.EqualTo("web"));
    }

    [Test]
    public async Task DeploymentOfAsync_AnotherNodesContainerOrOneGoneOrAnotherEvent_None()
    {
        _engine.Containers.Add(Container("theirs", "other", "web"));
        _engine.Containers.Add(Container("mine", "faults9", "web"));

        var theirs = await NetworkDisconnects.DeploymentOfAsync(_engine, "faults9", Disconnect("theirs"), CancellationToken.None);
        var gone = await NetworkDisconnects.DeploymentOfAsync(_engine, "faults9", Disconnect("removed"), CancellationToken.None);
        var connect = await NetworkDisconnects.DeploymentOfAsync(_engine, "faults9", Disconnect("mine") with { Action = "connect" }, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(theirs, Is.Null, "another node's container");
            Assert.That(gone, Is.Null, "a container already removed (every removal disconnects it)");
            Assert.That(connect, Is.Null, "only a disconnect takes an address away");
        });
    }

    private static EngineEvent Disconnect(string container) =>
        new("network", "disconnect", "net1", new Dictionary<string, string> { ["container"] = container, ["name"] = "gradient-node", ["type"] = "bridge" }, Now);

    private static ContainerDetails Container(string id, string node, string slug) => new(
        id,
        $"/gradient-{slug}-0-abcdef",
        "gradient-test/web:1",
        new Dictionary<string, string> { [ContainerLabels.Node] = node, [ContainerLabels.Deployment] = slug, [ContainerLabels.Replica] = "0" },
        new ContainerState("running", true, false, false, 0, null, Now, null),
        null,
        Now,
        0);
}
