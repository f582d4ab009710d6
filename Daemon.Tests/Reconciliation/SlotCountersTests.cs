using GradientNode.Core.Reconciliation;
using NUnit.Framework;
using static GradientNode.Tests.Reconciliation.ReconcilerTestData;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class SlotCountersTests
{
    private const string Hash = "0123456789ab";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    [Test]
    public void Carry_RunningReplicaGoneFromItsSlot_CreatedAsItsNextRestart()
    {
        var counters = new SlotCounters();
        var seen = Replica(0, Hash) with { Restarts = 3, Crashes = 2, StartedAt = Now.AddMinutes(-1) };
        counters.Remember("web", Hash, [0, 1], [seen, Replica(1, Hash)]);

        var plan = counters.Carry("web", Hash, Plan(new CreateReplica(0)), [Replica(1, Hash)], Now);

        Assert.That(plan.Creates.Single(), Is.EqualTo(new CreateReplica(0, Restarts: 4, Crashes: 2)));
    }

    [Test]
    public void Carry_ReplicaThatRanHealthyGone_RestartCountOnAndCrashesReset()
    {
        var counters = new SlotCounters();
        counters.Remember("web", Hash, [0], [Replica(0, Hash) with { Restarts = 1, Crashes = 4, StartedAt = Now.AddHours(-1) }]);

        var plan = counters.Carry("web", Hash, Plan(new CreateReplica(0)), [], Now);

        Assert.That(plan.Creates.Single(), Is.EqualTo(new CreateReplica(0, Restarts: 2, Crashes: 0)));
    }

    [Test]
    public void Carry_ExitedReplicaGoneInItsBackoff_CountsAsItsExitWould()
    {
        var counters = new SlotCounters();
        var exited = Replica(0, Hash, ready: false, running: false) with
        {
            Restarts = 5, Crashes = 2, ExitCode = 1, StartedAt = Now.AddSeconds(-20), FinishedAt = Now.AddSeconds(-10),
        };
        counters.Remember("web", Hash, [0], [exited]);

        var plan = counters.Carry("web", Hash, Plan(new CreateReplica(0)), [], Now);

        Assert.That(plan.Creates.Single(), Is.EqualTo(new CreateReplica(0, Restarts: 6, Crashes: 3, LastExitCode: 1)));
    }

    [Test]
    public void Carry_NewSpecVersionAtTheSlot_StartsAtZero()
    {
        var counters = new SlotCounters();
        counters.Remember("web", "oldoldoldold", [0], [Replica(0, "oldoldoldold") with { Restarts = 7 }]);

        var plan = counters.Carry("web", Hash, Plan(new CreateReplica(0)), [], Now);

        Assert.That(plan.Creates.Single(), Is.EqualTo(new CreateReplica(0)));
    }

    [Test]
    public void Carry_SlotScaledDownThenUpAgain_StartsAtZero()
    {
        var counters = new SlotCounters();
        counters.Remember("web", Hash, [0, 1], [Replica(0, Hash), Replica(1, Hash) with { Restarts = 7 }]);
        counters.Remember("web", Hash, [0], [Replica(0, Hash)]); // scaled down to 1: the node removed replica 1 itself

        var plan = counters.Carry("web", Hash, Plan(new CreateReplica(1)), [Replica(0, Hash)], Now);

        Assert.That(plan.Creates.Single(), Is.EqualTo(new CreateReplica(1)));
    }

    [Test]
    public void Carry_CreateThatAlreadyCarriesAnExitedReplicasCounters_LeftAsPlanned()
    {
        var counters = new SlotCounters();
        counters.Remember("web", Hash, [0], [Replica(0, Hash) with { Restarts = 7 }]);
        var planned = new CreateReplica(0, Restarts: 8, Crashes: 1, LastExitCode: 2);

        var plan = counters.Carry("web", Hash, Plan(planned), [Replica(0, Hash, ready: false, running: false) with { Restarts = 7 }], Now);

        Assert.That(plan.Creates.Single(), Is.EqualTo(planned));
    }

    [Test]
    public void Carry_AnotherDeploymentsSlot_NotMixedUp()
    {
        var counters = new SlotCounters();
        counters.Remember("api", Hash, [0], [Replica(0, Hash) with { Restarts = 7 }]);

        var plan = counters.Carry("web", Hash, Plan(new CreateReplica(0)), [], Now);

        Assert.That(plan.Creates.Single(), Is.EqualTo(new CreateReplica(0)));
    }
}
