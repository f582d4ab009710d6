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
            Assert.That(status.Message, Is.EqualTo("2/2 replicas ready; replacing 1 old replica"));
        });
    }
}
