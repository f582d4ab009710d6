using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>
/// Replicas of the desired hash whose creation settings drifted (<see cref="ObservedReplica.Drift"/>: <c>NET_RAW</c> from an
/// earlier version) are rolled as an old hash's are: surge one, each old one removed once its successor is ready.
/// </summary>
internal sealed partial class ReconcilePlannerTests
{
    private const string NetRaw = "created with NET_RAW by an earlier version of the node";

    [Test]
    public void Plan_TwoReadyReplicasCreatedWithNetRaw_StartsOneSuccessorAndRemovesNothing()
    {
        var plan = ReconcilePlanner.Plan(new DesiredReplicas(2, Hash), [Drifted(0), Drifted(1)], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new CreateReplica(0) }), Describe(plan));
    }

    [Test]
    public void Plan_SuccessorOfAReplicaWithNetRawNotReadyYet_TheOldOneServesAndNoOtherStarts()
    {
        var plan = ReconcilePlanner.Plan(new DesiredReplicas(2, Hash), [Drifted(0), Live(0, Hash, ready: false), Drifted(1)], Now);

        Assert.That(plan.IsEmpty, Is.True, Describe(plan));
    }

    [Test]
    public void Plan_SuccessorReady_RemovesTheOldOneSayingWhyAndStartsTheNext()
    {
        var old0 = Drifted(0);

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(2, Hash), [old0, Live(0, Hash), Drifted(1)], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new CreateReplica(1), new RemoveReplica(old0, $"replaced: {NetRaw}") { Replaced = true } }), Describe(plan));
    }

    [Test]
    public void Plan_ReplicaWithNetRawNotReady_ReplacedAtOnceAsAnOldHashsIs()
    {
        var old0 = Drifted(0, ready: false);

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [old0], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new CreateReplica(0), new RemoveReplica(old0, $"replaced: {NetRaw}") { Replaced = true } }), Describe(plan));
    }

    [Test]
    public void Plan_ExitedReplicaCreatedWithNetRaw_ItsCrashBackoffHoldsAsItsVersionsDoes()
    {
        // An exited container is not running with NET_RAW: it is its version's, and its successor is created without it.
        var exited = Exited(0, Hash, exitCode: 1, finishedAgo: TimeSpan.FromSeconds(2)) with { Crashes = 1, Drift = NetRaw };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [exited], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new WaitBackoff(0, CrashBackoff.RestartAt(exited)) }), Describe(plan));
    }

    [Test]
    public void Plan_ReplicaWithNetRawAndANewSpec_ReplacedBySpecAsAnyOldHash()
    {
        var old0 = Drifted(0, hash: OldHash);

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [old0, Live(0, Hash)], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new RemoveReplica(old0, $"replaced by spec {Hash}") { Replaced = true } }), Describe(plan));
    }

    [Test]
    public void Plan_RolloutPastTheDeadlineWithASuccessorNeverReady_FailsAndTheReplicasWithNetRawKeepServing()
    {
        // An app that needs NET_RAW never becomes ready without it: the old replicas keep serving, as for a bad spec.
        var desired = new DesiredReplicas(2, Hash) { RolloutProgressAt = Now.AddMinutes(-11) };

        var plan = ReconcilePlanner.Plan(desired, [Drifted(0), Live(0, Hash, ready: false), Drifted(1)], Now);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Failure, Is.Not.Null);
            Assert.That(plan.Creates, Is.Empty);
            Assert.That(plan.Removes, Is.Empty);
        });
    }

    private static ObservedReplica Drifted(int index, bool ready = true, string hash = Hash) => Live(index, hash, ready) with { Drift = NetRaw };
}
