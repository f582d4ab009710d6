// Over 300 lines: the planner's rules as one table of small cases (create, backoff, rollout surge, deadline, scale-down) over one set of replica builders; split, each part would repeat them.
using GradientNode.Core.Health;
using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed partial class ReconcilePlannerTests
{
    private const string Hash = "aaaaaaaaaaaa";
    private const string OldHash = "bbbbbbbbbbbb";
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Plan_NothingObservedTwoDesired_CreatesIndexesZeroAndOne()
    {
        var plan = ReconcilePlanner.Plan(new DesiredReplicas(2, Hash), [], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new CreateReplica(0), new CreateReplica(1) }));
    }

    [Test]
    public void Plan_AllRunningCurrentHash_IsEmpty()
    {
        var plan = ReconcilePlanner.Plan(new DesiredReplicas(2, Hash), [Live(0, Hash), Live(1, Hash)], Now);

        Assert.That(plan.IsEmpty, Is.True, Describe(plan));
    }

    [Test]
    public void Plan_RunningButNotReadyCurrentHash_IsEmpty()
    {
        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [Live(0, Hash, ready: false)], Now);

        Assert.That(plan.IsEmpty, Is.True, Describe(plan));
    }

    [Test]
    public void Plan_ScaleTwoToThree_CreatesOnlyIndexTwo()
    {
        var plan = ReconcilePlanner.Plan(new DesiredReplicas(3, Hash), [Live(0, Hash), Live(1, Hash)], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new CreateReplica(2) }));
    }

    [Test]
    public void Plan_ScaleThreeToOne_RemovesIndexesTwoThenOne()
    {
        var replicas = new[] { Live(0, Hash), Live(1, Hash), Live(2, Hash) };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), replicas, Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[]
        {
            new RemoveReplica(replicas[2], "scaled down to 1"),
            new RemoveReplica(replicas[1], "scaled down to 1"),
        }));
    }

    [Test]
    public void Plan_DesiredNone_RemovesEveryReplicaWithTheGivenReason()
    {
        var replicas = new[] { Live(0, Hash), Exited(1, Hash, exitCode: 1), Live(2, OldHash) };

        var plan = ReconcilePlanner.Plan(DesiredReplicas.None("disabled"), replicas, Now);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Creates, Is.Empty);
            Assert.That(plan.Steps.OfType<WaitBackoff>(), Is.Empty);
            Assert.That(plan.Removes.Select(r => r.Replica), Is.EquivalentTo(replicas));
            Assert.That(plan.Removes.Select(r => r.Reason), Is.All.EqualTo("disabled"));
        });
    }

    [Test]
    public void Plan_ExitedCurrentWithoutCrashes_RemovesItAndRecreatesAtOnceCarryingCounts()
    {
        var exited = Exited(0, Hash, exitCode: 3) with { Restarts = 4, Crashes = 0 };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [exited], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[]
        {
            new RemoveReplica(exited, "exited with code 3"),
            new CreateReplica(0, Restarts: 5, Crashes: 1, LastExitCode: 3),
        }));
    }

    [Test]
    public void Plan_ExitedAfterLongHealthyRun_RecreatesWithCrashesReset()
    {
        var exited = Exited(0, Hash, exitCode: 0, ranFor: TimeSpan.FromHours(1)) with { Restarts = 9, Crashes = 6 };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [exited], Now);

        Assert.That(plan.Creates.Single(), Is.EqualTo(new CreateReplica(0, Restarts: 10, Crashes: 0, LastExitCode: 0)));
    }

    [Test]
    public void Plan_ExitedWithinBackoff_WaitsAndKeepsTheDeadContainer()
    {
        // One earlier crash: this exit is the second in a row, so the restart waits 10 s (+ jitter).
        var exited = Exited(0, Hash, exitCode: 1, finishedAgo: TimeSpan.FromSeconds(2)) with { Crashes = 1 };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [exited], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new WaitBackoff(0, CrashBackoff.RestartAt(exited)) }));
        Assert.That(((WaitBackoff)plan.Steps[0]).Until, Is.GreaterThan(Now));
    }

    [Test]
    public void Plan_ExitedAfterBackoffExpired_RemovesAndRecreates()
    {
        var exited = Exited(0, Hash, exitCode: 1, finishedAgo: TimeSpan.FromSeconds(12)) with { Crashes = 1 };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [exited], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[]
        {
            new RemoveReplica(exited, "exited with code 1"),
            new CreateReplica(0, Restarts: 1, Crashes: 2, LastExitCode: 1),
        }));
    }

    [Test]
    public void Plan_TwoExitedAtOneIndexInBackoff_KeepsTheLatestAndRemovesTheOlder()
    {
        var older = Exited(0, Hash, exitCode: 1, finishedAgo: TimeSpan.FromMinutes(5)) with { Created = Now.AddMinutes(-6) };
        var latest = Exited(0, Hash, exitCode: 2, finishedAgo: TimeSpan.FromSeconds(1)) with { Created = Now.AddSeconds(-3), Crashes = 3 };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [older, latest], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[]
        {
            new RemoveReplica(older, "exited with code 1"),
            new WaitBackoff(0, CrashBackoff.RestartAt(latest)),
        }));
    }

    [Test]
    public void Plan_ExitedWithoutExitCode_ReasonNamesTheState()
    {
        var created = Exited(0, Hash, exitCode: null) with { State = "created" };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [created], Now);

        Assert.That(plan.Removes.Single().Reason, Is.EqualTo("container is created"));
    }

    [Test]
    public void Plan_SpecChangedOldRunning_CreatesOneNewReplicaAtATimeAndKeepsOld()
    {
        var plan = ReconcilePlanner.Plan(new DesiredReplicas(2, Hash), [Live(0, OldHash), Live(1, OldHash)], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new CreateReplica(0) }));
    }

    [Test]
    public void Plan_RolloutFirstNewNotReady_CreatesNothingMore()
    {
        var plan = ReconcilePlanner.Plan(new DesiredReplicas(3, Hash), [Live(0, OldHash), Live(0, Hash, ready: false), Live(1, OldHash), Live(2, OldHash)], Now);

        Assert.That(plan.IsEmpty, Is.True, Describe(plan));
    }

    [Test]
    public void Plan_RolloutFirstNewReady_RemovesItsOldAndStartsTheNext()
    {
        var old0 = Live(0, OldHash);

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(3, Hash), [old0, Live(0, Hash), Live(1, OldHash), Live(2, OldHash)], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new CreateReplica(1), new RemoveReplica(old0, $"replaced by spec {Hash}") { Replaced = true } }));
    }

    [Test]
    public void Plan_RolloutOldReplicaNotReady_ReplacedWithoutWaitingForTheSurge()
    {
        var unready = Live(1, OldHash, ready: false);

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(2, Hash), [Live(0, OldHash), Live(0, Hash, ready: false), unready], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new CreateReplica(1), new RemoveReplica(unready, $"replaced by spec {Hash}") { Replaced = true } }));
    }

    [Test]
    public void Plan_RolloutStalledPastDeadline_FailsAndKeepsOld()
    {
        var desired = new DesiredReplicas(2, Hash) { ProgressDeadline = TimeSpan.FromMinutes(10), RolloutProgressAt = Now - TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1) };

        var plan = ReconcilePlanner.Plan(desired, [Live(0, OldHash), Live(0, Hash, ready: false), Live(1, OldHash)], Now);

        Assert.That(plan.Failure, Is.Not.Null);
        Assert.That(plan.Failure!.Reason, Does.Contain("progress deadline"));
        Assert.That(plan.Creates, Is.Empty);
        Assert.That(plan.Removes, Is.Empty);
    }

    [Test]
    public void Plan_RolloutWithinDeadline_DoesNotFail()
    {
        var desired = new DesiredReplicas(1, Hash) { RolloutProgressAt = Now - TimeSpan.FromMinutes(9) };

        var plan = ReconcilePlanner.Plan(desired, [Live(0, OldHash), Live(0, Hash, ready: false)], Now);

        Assert.That(plan.Failure, Is.Null);
    }

    [Test]
    public void Plan_LiveReplicaMustRestart_IsStoppedNotRemoved()
    {
        var sick = Live(0, Hash) with { Ready = false, Health = new HealthSnapshot(ReplicaHealth.MustRestart, false, "liveness probe failed 3 times in a row: 500", null, null, null) };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [sick], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new StopReplica(sick, sick.RestartReason!) }));
    }

    [Test]
    public void Plan_LiveReplicaLostItsGpu_IsStoppedWithTheGpuReason()
    {
        var lost = Live(0, Hash) with { Ready = false, GpuLoss = "GPU lost: Failed to initialize NVML: Unknown Error" };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [lost], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new StopReplica(lost, "GPU lost: Failed to initialize NVML: Unknown Error") }));
    }

    [Test]
    public void Plan_LiveReplicaLostItsNetwork_IsStoppedWithTheNetworkReason()
    {
        var lost = Live(0, Hash) with { Ready = false, IpAddress = null, NetworkLoss = ReplicaObserver.NoAddress };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [lost], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new StopReplica(lost, ReplicaObserver.NoAddress) }));
    }

    [Test]
    public void Plan_NewReplicaWithoutItsNetworkDuringARollout_OldOneKeepsServing()
    {
        var old = Live(0, OldHash);
        var lost = Live(0, Hash) with { Ready = false, IpAddress = null, NetworkLoss = ReplicaObserver.NoAddress };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [old, lost], Now);

        Assert.Multiple(() =>
        {
            Assert.That(plan.Steps, Does.Contain(new StopReplica(lost, ReplicaObserver.NoAddress)));
            Assert.That(plan.Removes.Select(r => r.Replica), Does.Not.Contain(old));
        });
    }

    [Test]
    public void Plan_ScaleDownDuringSteadyState_RemovesLiveReplicas()
    {
        var extra = Live(1, Hash);

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [Live(0, Hash), extra], Now);

        Assert.That(plan.Removes.Select(r => r.Replica), Is.EqualTo(new[] { extra }));
    }

    [Test]
    public void Plan_NewRunningAndReady_RemovesOld()
    {
        var old = Live(0, OldHash);

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [old, Live(0, Hash)], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new RemoveReplica(old, $"replaced by spec {Hash}") { Replaced = true } }));
    }

    [Test]
    public void Plan_NewRunningNotReady_KeepsOld()
    {
        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [Live(0, OldHash), Live(0, Hash, ready: false)], Now);

        Assert.That(plan.IsEmpty, Is.True, Describe(plan));
    }

    [Test]
    public void Plan_NewExitedInBackoff_KeepsOldServing()
    {
        var old = Live(0, OldHash);
        var failed = Exited(0, Hash, exitCode: 1, finishedAgo: TimeSpan.FromSeconds(1)) with { Crashes = 2 };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [old, failed], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new WaitBackoff(0, CrashBackoff.RestartAt(failed)) }));
    }

    [Test]
    public void Plan_StoppedOldHash_IsRemoved()
    {
        var stopped = Exited(0, OldHash, exitCode: 0);

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [stopped, Live(0, Hash, ready: false)], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new RemoveReplica(stopped, "stopped container of an old spec") }));
    }

    [Test]
    public void Plan_OnlyStoppedOldHash_RemovesItAndCreatesNew()
    {
        var stopped = Exited(0, OldHash, exitCode: 0);

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [stopped], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new RemoveReplica(stopped, "stopped container of an old spec"), new CreateReplica(0) }));
    }

    [Test]
    public void Plan_TwoLiveCurrentAtOneIndex_RemovesTheExtraAndKeepsTheReadyOne()
    {
        var notReady = Live(0, Hash, ready: false) with { Created = Now.AddMinutes(-10) };
        var ready = Live(0, Hash) with { Created = Now.AddMinutes(-1) };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [notReady, ready], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new RemoveReplica(notReady, "duplicate replica") }));
    }

    [Test]
    public void Plan_TwoReadyCurrentAtOneIndex_KeepsTheOlder()
    {
        var older = Live(0, Hash) with { Created = Now.AddMinutes(-10) };
        var newer = Live(0, Hash) with { Created = Now.AddMinutes(-1) };

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [newer, older], Now);

        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new RemoveReplica(newer, "duplicate replica") }));
    }

    [Test]
    public void Plan_BadIndexLabel_RemovesTheContainer()
    {
        var running = Live(-1, Hash);
        var exited = Exited(-1, Hash, exitCode: 0);

        var plan = ReconcilePlanner.Plan(new DesiredReplicas(1, Hash), [Live(0, Hash), running, exited], Now);

        Assert.That(plan.Removes.Select(r => r.Replica), Is.EquivalentTo(new[] { running, exited }));
        Assert.That(plan.Creates, Is.Empty);
    }

    [Test]
    public void Plan_MixedWork_OrdersDeadRemovesThenCreatesAndWaitsThenLiveRemoves()
    {
        var old0 = Live(0, OldHash);
        var crashed1 = Exited(1, Hash, exitCode: 1);
        var waiting3 = Exited(3, Hash, exitCode: 1, finishedAgo: TimeSpan.FromSeconds(1)) with { Crashes = 4 };
        var surplusLive = Live(5, Hash);
        var surplusDead = Exited(6, Hash, exitCode: 0);

        var plan = ReconcilePlanner.Plan(
            new DesiredReplicas(4, Hash),
            [surplusLive, old0, Live(0, Hash), crashed1, waiting3, surplusDead],
            Now);

        // Kept: 0 and 5 (they run), then 1 and 3 (a container each); the running 5 is never swapped for a new 2.
        Assert.That(plan.Steps, Is.EqualTo(new PlanStep[]
        {
            new RemoveReplica(surplusDead, "scaled down to 4"),
            new RemoveReplica(crashed1, "exited with code 1"),
            new CreateReplica(1, Restarts: 1, Crashes: 1, LastExitCode: 1),
            new WaitBackoff(3, CrashBackoff.RestartAt(waiting3)),
            new RemoveReplica(old0, $"replaced by spec {Hash}") { Replaced = true },
        }));
    }

    private static ObservedReplica Live(int index, string hash, bool ready = true) => new()
    {
        ContainerId = $"id-{index}-{hash}-{Guid.NewGuid():N}",
        ContainerName = $"gradient-app-{index}-abcdef",
        Index = index,
        SpecHash = hash,
        Running = true,
        State = "running",
        Ready = ready,
        IpAddress = "172.17.0.2",
        Created = Now.AddMinutes(-30),
        StartedAt = Now.AddMinutes(-30),
    };

    private static ObservedReplica Exited(int index, string hash, int? exitCode, TimeSpan? ranFor = null, TimeSpan? finishedAgo = null)
    {
        var finished = Now - (finishedAgo ?? TimeSpan.FromMinutes(1));
        return new ObservedReplica
        {
            ContainerId = $"id-{index}-{hash}-{Guid.NewGuid():N}",
            ContainerName = $"gradient-app-{index}-fedcba",
            Index = index,
            SpecHash = hash,
            Running = false,
            State = "exited",
            ExitCode = exitCode,
            Created = finished - (ranFor ?? TimeSpan.FromSeconds(5)) - TimeSpan.FromSeconds(1),
            StartedAt = finished - (ranFor ?? TimeSpan.FromSeconds(5)),
            FinishedAt = finished,
        };
    }

    private static string Describe(ReconcilePlan plan) => string.Join("; ", plan.Steps);
}
