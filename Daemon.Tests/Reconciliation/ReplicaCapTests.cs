using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class ReplicaCapTests
{
    [Test]
    public void Admit_RoomForAll_AdmitsWhatIsAsked()
    {
        var cap = new ReplicaCap(4);

        Assert.Multiple(() =>
        {
            Assert.That(cap.Admit("a", 2, serving: 0), Is.EqualTo(2));
            Assert.That(cap.Admit("b", 2, serving: 0), Is.EqualTo(2));
        });
    }

    [Test]
    public void Admit_MoreThanTheRoomLeft_AdmitsOnlyTheRoom()
    {
        var cap = new ReplicaCap(3);
        cap.Admit("a", 2, serving: 0);

        Assert.Multiple(() =>
        {
            Assert.That(cap.Admit("b", 5, serving: 0), Is.EqualTo(1));
            Assert.That(cap.Admit("c", 1, serving: 0), Is.Zero, "nothing left");
        });
    }

    [Test]
    public void Admit_AgainForTheSameDeployment_ItsOwnReplicasDoNotCountAgainstIt()
    {
        var cap = new ReplicaCap(3);
        cap.Admit("a", 3, serving: 0);

        Assert.That(cap.Admit("a", 3, serving: 3), Is.EqualTo(3));
    }

    [Test]
    public void Admit_ServesMoreThanTheRoom_KeepsWhatItServesNeverFewer()
    {
        // After a daemon restart (the ledger is empty) or a lowered cap: replicas that run are never taken back.
        var cap = new ReplicaCap(2);
        cap.Admit("a", 2, serving: 2);

        Assert.Multiple(() =>
        {
            Assert.That(cap.Admit("b", 4, serving: 3), Is.EqualTo(3), "b keeps its 3 running replicas but gets no fourth");
            Assert.That(cap.Admit("c", 1, serving: 0), Is.Zero);
        });
    }

    [Test]
    public void Admit_ServesMoreThanItAsksForNow_AdmitsWhatItAsks()
    {
        var cap = new ReplicaCap(10);

        Assert.That(cap.Admit("a", 2, serving: 5), Is.EqualTo(2), "a scale-down is not held back");
    }

    [Test]
    public void Release_Deployment_ItsRoomGoesToTheNextThatAsks()
    {
        var cap = new ReplicaCap(2);
        cap.Admit("a", 2, serving: 0);
        Assert.That(cap.Admit("b", 1, serving: 0), Is.Zero);

        cap.Release("a");

        Assert.That(cap.Admit("b", 1, serving: 0), Is.EqualTo(1));
    }

    [Test]
    public void Admit_ScaledDown_TheRoomItLetGoIsFree()
    {
        var cap = new ReplicaCap(3);
        cap.Admit("a", 3, serving: 3);

        cap.Admit("a", 1, serving: 3);

        Assert.That(cap.Admit("b", 5, serving: 0), Is.EqualTo(2));
    }

    [Test]
    public void Admit_ZeroMeansNoBound_AdmitsEverything()
    {
        var cap = new ReplicaCap(0);

        Assert.Multiple(() =>
        {
            Assert.That(cap.Admit("a", 5000, serving: 0), Is.EqualTo(5000));
            Assert.That(cap.Admit("b", 64, serving: 0), Is.EqualTo(64));
        });
    }

    [Test]
    public void Describe_SomeRefused_NamesTheReplicasTheCapTheSettingAndWhatOthersHold()
    {
        var cap = new ReplicaCap(3);
        cap.Admit("a", 2, serving: 0);
        var admitted = cap.Admit("b", 4, serving: 0);

        Assert.Multiple(() =>
        {
            Assert.That(cap.Describe(admitted, [1, 2, 3]), Is.EqualTo("replicas 1-3 are refused: this node runs at most 3 replicas (maxReplicas in node.yaml, --max-replicas) and other deployments hold 2; they start when room frees"));
            Assert.That(cap.Describe(1, [1]), Does.StartWith("replica 1 is refused: ").And.EndWith("; it starts when room frees"));
            Assert.That(cap.Describe(1, [0, 3, 4]), Does.StartWith("replicas 0, 3 and 4 are refused: "), "indexes that are not a run");
            Assert.That(cap.Describe(1, [0, 3]), Does.StartWith("replicas 0 and 3 are refused: "));
        });
    }
}
