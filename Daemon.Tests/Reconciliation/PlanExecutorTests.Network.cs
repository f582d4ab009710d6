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

    private PlanExecutor ExecutorOn(IReplicaNetwork network, IGpuGate? gpus = null) =>
        new(_engine, gpus ?? NoHooks.Instance, NoHooks.Instance, _journal, new ReconcilerOptions(), _clock, NullLogger<PlanExecutor>.Instance, network: network);

    private sealed class FixedNetwork(ReplicaNetworkChoice choice) : IReplicaNetwork
    {
        public Task<ReplicaNetworkChoice> EnsureAsync(CancellationToken cancellationToken) => Task.FromResult(choice);
    }
}
