using GradientNode.Core.Engine;
using GradientNode.Core.Networking;
using GradientNode.Core.Reconciliation;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using static GradientNode.Tests.Reconciliation.ReconcilerTestData;

namespace GradientNode.Tests.Reconciliation;

/// <summary>New replicas join the node's replica network, and none starts while it cannot be had.</summary>
internal sealed partial class PlanExecutorTests
{
    [Test]
    public async Task ExecuteAsync_ReplicaNetworkReady_EveryReplicaCreatedOnItsId()
    {
        var network = new FixedNetwork(new ReplicaNetworkChoice("net-id-1", null));

        var result = await ExecutorOn(network).ExecuteAsync("web", Spec(), "h", Plan(new CreateReplica(0), new CreateReplica(1)), Preparation.None, _clock.GetUtcNow(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.Null);
            Assert.That(_engine.Created.Select(c => c.NetworkMode), Is.EqualTo(new[] { "net-id-1", "net-id-1" }));
        });
    }

    [Test]
    public async Task ExecuteAsync_ReplicaNetworkCannotBeMade_NoReplicaCreatedAndTheErrorSaysWhy()
    {
        var network = new FixedNetwork(new ReplicaNetworkChoice(null, "the replica network 'gradient-node' could not be found or made: pool exhausted"));

        var result = await ExecutorOn(network).ExecuteAsync("web", Spec(), "h", Plan(new CreateReplica(0)), Preparation.None, _clock.GetUtcNow(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(_engine.Created, Is.Empty);
            Assert.That(result.Error, Is.EqualTo("replica 0 could not be started: the replica network 'gradient-node' could not be found or made: pool exhausted"));
        });
    }

    [Test]
    public async Task ExecuteAsync_EngineDefaultBridge_NetworkModeLeftUnset()
    {
        await ExecutorOn(new FixedNetwork(ReplicaNetworkChoice.DefaultBridge)).ExecuteAsync("web", Spec(), "h", Plan(new CreateReplica(0)), Preparation.None, _clock.GetUtcNow(), CancellationToken.None);

        Assert.That(_engine.Created.Single().NetworkMode, Is.Null);
    }

    [Test]
    public async Task ExecuteAsync_ReplicaNetworkRemovedByAnotherNodeAsItStopped_MadeAgainAndTheReplicaCreatedOnIt()
    {
        // Before: the create failed ("network … not found") and the replica waited for the next pass (15 s).
        var network = new RemadeNetwork("net-old", "net-new");
        _engine.CreateFault = request => request.NetworkMode == "net-old" ? NetworkNotFound("net-old") : null;

        var result = await ExecutorOn(network).ExecuteAsync("web", Spec(), "h", Plan(new CreateReplica(0)), Preparation.None, _clock.GetUtcNow(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.Null);
            Assert.That(_engine.Created.Select(c => c.NetworkMode), Is.EqualTo(new[] { "net-old", "net-new" }));
            Assert.That(_engine.Started, Has.Count.EqualTo(1));
            Assert.That(network.Invalidated, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ExecuteAsync_ReplicaNetworkRemovedBeforeTheStart_CreatedContainerRemovedNetworkMadeAgainAndTheReplicaStartedOnIt()
    {
        // dockerd (20.10) creates a container on a network that is gone and refuses its start: "network NAME not found".
        // Before: typed as the started container not found, the replica failed until the next pass.
        var network = new RemadeNetwork("net-old", "net-new");
        _engine.StartFaultOf = _ => _engine.Created.Last().NetworkMode == "net-old" ? NetworkNotFound("gradient-node") : null;

        var result = await ExecutorOn(network).ExecuteAsync("web", Spec(), "h", Plan(new CreateReplica(0)), Preparation.None, _clock.GetUtcNow(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.Null);
            Assert.That(_engine.Created.Select(c => c.NetworkMode), Is.EqualTo(new[] { "net-old", "net-new" }));
            Assert.That(_engine.Started, Has.Count.EqualTo(2));
            Assert.That(_engine.Removed, Has.Count.EqualTo(1), "the container created on the network that is gone");
            Assert.That(network.Invalidated, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ExecuteAsync_NetworkStillMissingAfterItWasMadeAgain_TriedOnceAndTheErrorSaid()
    {
        var network = new RemadeNetwork("net-old", "net-new");
        _engine.StartFaultOf = _ => NetworkNotFound("gradient-node");

        var result = await ExecutorOn(network).ExecuteAsync("web", Spec(), "h", Plan(new CreateReplica(0)), Preparation.None, _clock.GetUtcNow(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.EqualTo("replica 0 could not be started: the Docker engine refused start container id-web-0 (HTTP 404): network gradient-node not found"));
            Assert.That(_engine.Created, Has.Count.EqualTo(2));
            Assert.That(_engine.Removed, Has.Count.EqualTo(2), "no container left behind that never started");
        });
    }

    [Test]
    public async Task ExecuteAsync_CreateFailsForAnotherReason_NetworkLeftAsItIsAndTheErrorSaid()
    {
        var network = new RemadeNetwork("net-old", "net-new");
        _engine.CreateFault = _ => NotFound("No such image: web:1");

        var result = await ExecutorOn(network).ExecuteAsync("web", Spec(), "h", Plan(new CreateReplica(0)), Preparation.None, _clock.GetUtcNow(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Does.Contain("No such image"));
            Assert.That(_engine.Created, Has.Count.EqualTo(1));
            Assert.That(network.Invalidated, Is.Zero);
        });
    }

    private static EngineException NotFound(string answer) => new($"create container failed: {answer}", 404) { EngineMessage = answer };

    private static NetworkNotFoundException NetworkNotFound(string name) =>
        new(name, $"start container failed: network {name} not found") { Operation = "start container id-web-0", EngineMessage = $"network {name} not found" };

    private PlanExecutor ExecutorOn(IReplicaNetwork network, IGpuGate? gpus = null) =>
        new(_engine, gpus ?? NoHooks.Instance, NoHooks.Instance, _journal, new ReconcilerOptions(), _clock, NullLogger<PlanExecutor>.Instance, network: network);

    /// <summary>A network that another node removed: found as <c>before</c> until invalidated, then made again as <c>after</c>.</summary>
    private sealed class RemadeNetwork(string before, string after) : IReplicaNetwork
    {
        public int Invalidated { get; private set; }

        public Task<ReplicaNetworkChoice> EnsureAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new ReplicaNetworkChoice(Invalidated == 0 ? before : after, null));

        public void Invalidate() => Invalidated++;
    }

    private sealed class FixedNetwork(ReplicaNetworkChoice choice) : IReplicaNetwork
    {
        public Task<ReplicaNetworkChoice> EnsureAsync(CancellationToken cancellationToken) => Task.FromResult(choice);
    }
}
