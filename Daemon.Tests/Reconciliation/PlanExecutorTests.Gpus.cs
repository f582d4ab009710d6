using GradientNode.Core.Gpus;
using GradientNode.Core.Networking;
using GradientNode.Core.Reconciliation;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;
using static GradientNode.Tests.Reconciliation.ReconcilerTestData;

namespace GradientNode.Tests.Reconciliation;

/// <summary>Replicas of one pass ask for GPUs in index order: with one GPU free, replica 0 runs and replica 1 waits.</summary>
internal sealed partial class PlanExecutorTests
{
    [Test]
    public async Task ExecuteAsync_OneGpuFreeAndReplicaZerosNetworkLookupEndsLast_ReplicaZeroGetsItAndReplicaOneWaits()
    {
        // On a loaded box replica 1's network lookup ended first and took the GPU: "replica 0 waits … held by b-1".
        var network = new FirstCallEndsLast();
        var gate = new OneGpu();
        var result = await ExecutorOn(network, gate).ExecuteAsync("web", Spec(), "h", Plan(new CreateReplica(0), new CreateReplica(1)), Preparation.None, _clock.GetUtcNow(), CancellationToken.None)
            .WaitAsync(TestTimeouts.Short);

        Assert.Multiple(() =>
        {
            Assert.That(gate.Asked, Is.EqualTo(new[] { 0, 1 }));
            Assert.That(_engine.Created.Select(c => c.Name).ToList(), Has.Count.EqualTo(1).And.All.Contains("-0-"));
            Assert.That(result.GpuWait, Does.StartWith("replica 1 waits for GPUs"));
        });
    }

    [Test]
    public async Task ExecuteAsync_ReplicaZeroHasNoNetwork_ReplicaOneStillAsksForItsGpus()
    {
        var gate = new OneGpu();
        var network = new FailsFirstCall();
        var result = await ExecutorOn(network, gate).ExecuteAsync("web", Spec(), "h", Plan(new CreateReplica(0), new CreateReplica(1)), Preparation.None, _clock.GetUtcNow(), CancellationToken.None)
            .WaitAsync(TestTimeouts.Short);

        Assert.Multiple(() =>
        {
            Assert.That(gate.Asked, Is.EqualTo(new[] { 1 }));
            Assert.That(result.Error, Does.StartWith("replica 0 could not be started"));
        });
    }

    /// <summary>The first caller's lookup ends only once the second caller's has ended.</summary>
    private sealed class FirstCallEndsLast : IReplicaNetwork
    {
        private readonly TaskCompletionSource<ReplicaNetworkChoice> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public Task<ReplicaNetworkChoice> EnsureAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                return _first.Task;
            }

            _first.TrySetResult(ReplicaNetworkChoice.DefaultBridge);
            return Task.FromResult(ReplicaNetworkChoice.DefaultBridge);
        }
    }

    private sealed class FailsFirstCall : IReplicaNetwork
    {
        private int _calls;

        public Task<ReplicaNetworkChoice> EnsureAsync(CancellationToken cancellationToken) =>
            Task.FromResult(Interlocked.Increment(ref _calls) == 1 ? new ReplicaNetworkChoice(null, "no network") : ReplicaNetworkChoice.DefaultBridge);
    }

    /// <summary>Grants the first asker its GPU; everyone after it waits.</summary>
    private sealed class OneGpu : IGpuGate
    {
        private readonly List<int> _asked = [];

        public IReadOnlyList<int> Asked
        {
            get
            {
                lock (_asked)
                {
                    return [.. _asked];
                }
            }
        }

        public string? Validate(string machineType) => null;

        public Task<GpuLease?> AcquireAsync(string slug, int index, string machineType, CancellationToken cancellationToken)
        {
            lock (_asked)
            {
                _asked.Add(index);
                return Task.FromResult<GpuLease?>(_asked.Count == 1 ? null : new GpuLease(MachineTypeTable.BuiltIn.Find("A100-80G")!, [], nvidiaRuntime: false, cpus: 1, "needs 1 GPU of A100-80G, 0 of 1 free", heldLock: null));
            }
        }
    }
}
