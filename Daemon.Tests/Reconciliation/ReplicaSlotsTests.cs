using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class ReplicaSlotsTests
{
    [Test]
    public void Kept_NothingObserved_LowestIndexes()
    {
        Assert.That(ReplicaSlots.Kept(3, []), Is.EqualTo(new[] { 0, 1, 2 }));
    }

    [Test]
    public void Kept_AllRunningFewerAsked_LowestIndexesAsBefore()
    {
        Assert.That(ReplicaSlots.Kept(2, [Replica(0, true), Replica(1, true), Replica(2, true)]), Is.EqualTo(new[] { 0, 1 }));
    }

    [Test]
    public void Kept_ReplicaZeroExitedOneAndTwoRun_TheOnesThatRun()
    {
        // newuser5's F9: replica 0 killed while the node was down, a cap that admits 2.
        Assert.That(ReplicaSlots.Kept(2, [Replica(0, false), Replica(1, true), Replica(2, true)]), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void Kept_ReplicaOneGoneZeroAndTwoRun_TheOnesThatRun()
    {
        Assert.That(ReplicaSlots.Kept(2, [Replica(0, true), Replica(2, true)]), Is.EqualTo(new[] { 0, 2 }));
    }

    [Test]
    public void Kept_MoreAskedThanRun_TheRunningOnesThenTheLowestFree()
    {
        Assert.That(ReplicaSlots.Kept(3, [Replica(0, true), Replica(4, true)]), Is.EqualTo(new[] { 0, 1, 4 }));
    }

    [Test]
    public void Kept_AnExitedContainerInRangeAndAFreeIndex_TheExitedOneKeepsItsPlace()
    {
        // Its crash backoff and restart count stay with it: a free index would start a fresh replica at once.
        Assert.That(ReplicaSlots.Kept(3, [Replica(0, true), Replica(1, false)]), Is.EqualTo(new[] { 0, 1, 2 }));
        Assert.That(ReplicaSlots.Kept(2, [Replica(0, false), Replica(5, true)]), Is.EqualTo(new[] { 0, 5 }));
    }

    [Test]
    public void Kept_AnExitedContainerAboveTheRangeAndAFreeIndexBelow_TheFreeIndex()
    {
        // replicas: 2, replica 0 gone, 1 running, 5 exited (left by an earlier replicas: 6). Before: 1 and 5, the exited 5
        // kept (its backoff counting) and no replica 0; a user asked for 2 replicas and sees one run and none start.
        Assert.Multiple(() =>
        {
            Assert.That(ReplicaSlots.Kept(2, [Replica(1, true), Replica(5, false)]), Is.EqualTo(new[] { 0, 1 }));
            Assert.That(ReplicaSlots.Kept(2, [Replica(1, true), Replica(2, false)]), Is.EqualTo(new[] { 0, 1 }));
            Assert.That(ReplicaSlots.Kept(3, [Replica(1, true), Replica(5, false)]), Is.EqualTo(new[] { 0, 1, 2 }));
            Assert.That(ReplicaSlots.Kept(2, [Replica(3, false), Replica(5, false)]), Is.EqualTo(new[] { 0, 1 }));
            Assert.That(ReplicaSlots.Kept(1, [Replica(3, true), Replica(5, false)]), Is.EqualTo(new[] { 3 }), "a running one is still never stopped for a new one");
        });
    }

    [Test]
    public void Kept_ARolloutsTwoContainersAtOneIndex_OneReplica()
    {
        Assert.That(ReplicaSlots.Kept(2, [Replica(0, true), Replica(0, true), Replica(1, true), Replica(2, true)]), Is.EqualTo(new[] { 0, 1 }));
    }

    [Test]
    public void Kept_BadIndexLabelOrNone_NeverKept()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ReplicaSlots.Kept(1, [Replica(-1, true)]), Is.EqualTo(new[] { 0 }));
            Assert.That(ReplicaSlots.Kept(0, [Replica(0, true)]), Is.Empty);
        });
    }

    [Test]
    public void Refused_CapAdmitsTwoOfThreeWithReplicaZeroExited_RefusesZeroNotARunningOne()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ReplicaSlots.Refused(3, 2, [Replica(0, false), Replica(1, true), Replica(2, true)]), Is.EqualTo(new[] { 0 }));
            Assert.That(ReplicaSlots.Refused(4, 1, []), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(ReplicaSlots.Refused(2, 2, []), Is.Empty);
        });
    }

    private static ObservedReplica Replica(int index, bool running) => new()
    {
        ContainerId = $"id-{index}-{Guid.NewGuid():N}",
        ContainerName = $"gradient-app-{index}",
        Index = index,
        SpecHash = "aaaaaaaaaaaa",
        Running = running,
        State = running ? "running" : "exited",
        Ready = running,
    };
}
