using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>
/// A count lower than the replicas present (a lowered <c>replicas</c>, or the node's <c>--max-replicas</c> admitting fewer)
/// while a lower index is missing: the replicas that run are kept (<see cref="ReplicaSlots"/>), none is stopped only to
/// be replaced by a new one (newuser5's F9).
/// </summary>
internal sealed partial class ReconcilePlannerTests
{
    [Test]
    public void Plan_CapAdmitsTwoWhileReplicaZeroExitedAndOneAndTwoRun_RemovesOnlyTheExitedOne()
    {
        // docker kill of replica 0 while the node was down; the restarted node admits 2 of the 3 replicas asked for.
        var killed = Exited(0, Hash, exitCode: 137);
        var one = Live(1, Hash);
        var two = Live(2, Hash);

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(2, Hash), [killed, one, two], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new RemoveReplica(killed, "scaled down to 2") }), Describe(plan));
    }

    [Test]
    public void Plan_CountTwoWhileReplicaOneIsGoneAndZeroAndTwoRun_IsEmpty()
    {
        // docker rm -f of replica 1 while the node was down.
        var plan = ReconcilePlanner.Plan(new DesiredReplicas(2, Hash), [Live(0, Hash), Live(2, Hash)], Now);

        Assert.That(plan.IsEmpty, Is.True, Describe(plan));
    }

    [Test]
    public void Plan_ReplicasLoweredToTwoWhileIndexZeroIsMissing_KeepsTheTwoThatRun()
    {
        var plan = ReconcilePlanner.Plan(new DesiredReplicas(2, Hash), [Live(1, Hash), Live(2, Hash), Live(3, Hash)], Now);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Creates, Is.Empty, Describe(plan));
            Assert.That(plan.Removes.Select(r => r.Replica.Index), Is.EqualTo(new[] { 3 }), "the highest of those that run goes");
        });
    }

    [Test]
    public void Plan_GpuReplicasWhileIndexZeroIsMissing_NoneSwappedForOneThatNeedsANewGpu()
    {
        var one = Live(1, Hash) with { Gpus = ["GPU-aaaa"] };
        var two = Live(2, Hash) with { Gpus = ["GPU-bbbb"] };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(2, Hash), [one, two], Now);

        Assert.That(plan.IsEmpty, Is.True, Describe(plan));
    }

    [Test]
    public void Plan_MoreAskedThanRunWithOneRunningAboveTheCount_StartsOnlyTheMissingOne()
    {
        var four = Live(4, Hash);

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(3, Hash), [Live(0, Hash), four], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new CreateReplica(1) }), Describe(plan));
    }

    [Test]
    public void Plan_LoweredCountWhileACrashLoopingReplicaWaitsAboveAFreeIndex_RemovedForANewReplicaAtTheFreeIndex()
    {
        // The count asks for indexes 0 and 1: an exited replica above them is not kept over the free 0 (ReplicaSlots). The
        // crash loop's backoff starts again once, with the new replica 0, which is then kept with its own backoff. Before:
        // replica 2 was kept, waiting out its backoff, and no replica 0 was started.
        var waiting = Exited(2, Hash, exitCode: 1, finishedAgo: TimeSpan.FromSeconds(1)) with { Crashes = 4 };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(2, Hash), [Live(1, Hash), waiting], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new RemoveReplica(waiting, "scaled down to 2"), new CreateReplica(0) }), Describe(plan));
    }

    [Test]
    public void Plan_ACrashLoopingReplicaWaitsInsideTheCountBesideAFreeIndex_ItsBackoffHolds()
    {
        // A fresh replica in its place would start at once: the crash loop would slip its backoff.
        var waiting = Exited(1, Hash, exitCode: 1, finishedAgo: TimeSpan.FromSeconds(1)) with { Crashes = 4 };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(3, Hash), [Live(0, Hash), waiting], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new WaitBackoff(1, CrashBackoff.RestartAt(waiting)), new CreateReplica(2) }), Describe(plan));
    }

    [Test]
    public void Plan_RolloutWithALoweredCountAndIndexZeroMissing_ReplacesOneOfThoseThatServeAndStopsNone()
    {
        var old1 = Live(1, OldHash);
        var old2 = Live(2, OldHash);

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(2, Hash), [old1, old2], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new CreateReplica(1) }), Describe(plan));
    }
}
