using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>Replicas of the desired hash created with <c>NET_RAW</c> by an earlier version: the status says why they roll.</summary>
internal sealed partial class StatusBuilderTests
{
    private const string NetRaw = "created with NET_RAW by an earlier version of the node";

    [Test]
    public void Build_ReplicasCreatedWithNetRaw_ProgressingSayingWhyTheyAreReplacedAndNotCurrent()
    {
        var observed = new[] { Live(0, Hash) with { Drift = NetRaw }, Live(1, Hash) with { Drift = NetRaw }, Live(0, Hash, ready: false) with { ContainerId = "new-0" } };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), observed));

        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Progressing));
            Assert.That(status.Message, Is.EqualTo($"2/2 replicas ready; replacing 2 replicas {NetRaw}"));
            Assert.That(status.Replicas.Select(i => i.Current), Is.EqualTo(new[] { false, false, true }));
        });
    }

    [Test]
    public void Build_OldHashAndReplicaCreatedWithNetRaw_BothNamed()
    {
        var observed = new[] { Live(0, OldHash), Live(1, Hash) with { Drift = NetRaw } };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), observed));

        Assert.That(status.Message, Does.EndWith($"; replacing 1 old replica and 1 replica {NetRaw}"));
    }

    [Test]
    public void Build_EveryReplicaAsThisVersionCreatesOne_Ready()
    {
        // An exited container with NET_RAW is its version's: it holds nothing and is replaced as any crash is.
        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(0, Hash), Live(1, Hash)]));

        Assert.That(status.State, Is.EqualTo(DeploymentState.Ready));
    }
}
