using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>
/// Replicas of the desired hash created with other <c>healthChecks</c> (<see cref="ObservedReplica.ProbesOutdated"/>, set
/// by <see cref="HealthOverlay"/>) are rolled as an old hash's are; an exited one no longer holds its crash backoff.
/// </summary>
internal sealed partial class ReconcilePlannerTests
{
    [Test]
    public void Plan_TwoReadyReplicasWithOtherProbes_StartsOneSuccessorAndRemovesNothing()
    {
        var plan = ReconcilePlanner.Plan(new DesiredReplicas(2, Hash), [OtherProbes(0), OtherProbes(1)], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new CreateReplica(0) }), Describe(plan));
    }

    [Test]
    public void Plan_SuccessorWithTheNewProbesReady_RemovesTheOldOneSayingWhy()
    {
        var old0 = OtherProbes(0);

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [old0, Live(0, Hash)], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new RemoveReplica(old0, $"replaced: {HealthOverlay.ProbesChanged}") { Replaced = true } }), Describe(plan));
    }

    [Test]
    public void Plan_ExitedReplicaWithOtherProbesInItsBackoff_RemovedAndItsSuccessorCreatedAtOnce()
    {
        // Killed by a liveness probe the change fixes: before, it waited out its backoff (up to 5 minutes) first.
        var exited = Exited(0, Hash, exitCode: 1, finishedAgo: TimeSpan.FromSeconds(2)) with { Crashes = 3, ProbesOutdated = true, Drift = HealthOverlay.ProbesChanged };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [exited], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new RemoveReplica(exited, "stopped container of an old spec"), new CreateReplica(0) }), Describe(plan));
    }

    private static ObservedReplica OtherProbes(int index) => Live(index, Hash, ready: true) with { ProbesOutdated = true, Drift = HealthOverlay.ProbesChanged };
}
