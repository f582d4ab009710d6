using GradientNode.Core.Reconciliation;
using GradientNode.Core.Status;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>The replicas a deployment keeps are those that run, whatever their index (<see cref="ReplicaSlots"/>): status counts them.</summary>
internal sealed partial class StatusBuilderTests
{
    [Test]
    public void Build_TwoWantedAndReplicasOneAndTwoServe_ReadyWithBoth()
    {
        // Replica 0 was removed while the node was down; 1 and 2 are the deployment's two replicas now.
        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(1, Hash), Live(2, Hash)]));

        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Ready));
            Assert.That(status.Message, Is.EqualTo("2/2 replicas ready"));
            Assert.That(status.ReadyReplicas, Is.EqualTo(2));
        });
    }

    [Test]
    public void Build_ReplicaThreeLeavingAfterALoweredCount_CountsTheTwoKept()
    {
        var leaving = Live(3, Hash) with { Ready = false, Leaving = true };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), [Live(1, Hash), Live(2, Hash), leaving]));

        Assert.Multiple(() =>
        {
            Assert.That(status.State, Is.EqualTo(DeploymentState.Progressing));
            Assert.That(status.Message, Is.EqualTo("2/2 replicas ready; stopping replica 3 (scaled down to 2)"));
        });
    }

    [Test]
    public void Build_ScaledFromThreeToOne_SaysItStopsReplicasOneAndTwoNotThatItReplacesThem()
    {
        // scale NAME 1 on three ready replicas of the current version. Before: "1/1 replicas ready; replacing 2 old
        // replicas", the words of a rollout, while nothing replaced them (newuser15's finding).
        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(1, Hash), [Live(0, Hash), Live(1, Hash), Live(2, Hash)]));

        Assert.That(status.Message, Is.EqualTo("1/1 replicas ready; stopping replicas 1, 2 (scaled down to 1)"));
    }

    [Test]
    public void Build_RolloutThatAlsoLowersTheCount_ReplacesTheKeptIndexesAndStopsTheRest()
    {
        // Three replicas of the old version; the new one wants two, and its replica 0 is ready.
        var observed = new[] { Live(0, OldHash), Live(1, OldHash), Live(2, OldHash), Live(0, Hash) };

        var status = StatusBuilder.Build(Input(Entry(Spec), new DesiredReplicas(2, Hash), observed));

        Assert.That(status.Message, Does.EndWith("; replacing 2 old replicas; stopping replica 2 (scaled down to 2)"));
    }
}
