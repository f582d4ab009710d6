using System.Net;
using GradientNode.Core.Health;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Specs;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
internal sealed class HealthOverlayTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly PathHandler _handler = new();
    private readonly ProbeRunner _runner;
    private readonly HealthMonitor _monitor;
    private readonly HealthOverlay _overlay;

    public HealthOverlayTests()
    {
        _runner = new ProbeRunner(new ScriptedPullEngine(), _handler);
        _monitor = new HealthMonitor(_runner, _clock, NullLogger<HealthMonitor>.Instance);
        _overlay = new HealthOverlay(_monitor);
    }

    public void Dispose()
    {
        _monitor.Dispose();
        _runner.Dispose();
        _handler.Dispose();
    }

    [Test]
    public async Task Apply_RolloutChangesTheReadinessProbe_OldReplicaKeepsItsOwnProbeAndStaysReady()
    {
        var old = Running(0, "v1");
        await ReadyAsync(Spec("/ready"), "v1", old);

        // v2 asks for a path that never answers 200: only v2's replica is probed with it.
        var fresh = Running(1, "v2");
        var v2 = Spec("/nope");
        _overlay.Apply("web", v2, "v2", 8080, [old, fresh]);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_monitor.Get(fresh.ContainerId)?.Readiness?.LastResult is not null), TestTimeouts.Short, "the new replica's first probe");
        var observed = _overlay.Apply("web", v2, "v2", 8080, [old, fresh]);

        Assert.Multiple(() =>
        {
            Assert.That(observed[0].Ready, Is.True, "the old version's replica still serves: its probe is still /ready");
            Assert.That(observed[1].Ready, Is.False, "the new version's replica is probed with the new /nope");
            Assert.That(_handler.Paths(old.IpAddress!), Has.No.Member("/nope"), "the old replica was never probed with the new path");
        });
    }

    [Test]
    public async Task Apply_SpecGoneThenBack_ReplicaKeepsItsProbeLoopAndStaysReadyThroughout()
    {
        // A spec file away past the settle (RemovalGrace): before, the pass without a spec stopped the replica's probe loop,
        // and the spec that came back started it from scratch: not ready until its readiness probe passed again.
        var replica = Running(0, "v1");
        var spec = Spec("/ready");
        await ReadyAsync(spec, "v1", replica);

        var gone = _overlay.Apply("web", null, string.Empty, 8080, [replica]);
        var loopDuringTheGap = _monitor.Get(replica.ContainerId);
        var back = _overlay.Apply("web", spec, "v1", 8080, [replica]);

        Assert.Multiple(() =>
        {
            Assert.That(gone[0].Ready, Is.True, "still ready while the spec is away");
            Assert.That(loopDuringTheGap?.Health, Is.EqualTo(ReplicaHealth.Ready), "its loop kept");
            Assert.That(back[0].Ready, Is.True, "ready at once when the spec is back, not after a new probe");
        });
    }

    [Test]
    public async Task Apply_ProbesChangedOnly_ReplicaKeepsItsProbeStaysReadyAndIsRolledOut()
    {
        // Before: a healthChecks-only change kept the hash, so the new probe was swapped onto the serving replica in place:
        // a typo in its path took every replica out of rotation at once.
        var replica = Running(0, "v1") with { ProbesHash = ProbesHasher.Compute(Spec("/ready").HealthChecks) };
        await ReadyAsync(Spec("/ready"), "v1", replica);

        var fresh = Running(1, "v1") with { ProbesHash = ProbesHasher.Compute(Spec("/nope").HealthChecks) };
        _overlay.Apply("web", Spec("/nope"), "v1", 8080, [replica, fresh]);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_monitor.Get(fresh.ContainerId)?.Readiness?.LastResult is not null), TestTimeouts.Short, "the new replica's first probe");
        var observed = _overlay.Apply("web", Spec("/nope"), "v1", 8080, [replica, fresh]);

        Assert.Multiple(() =>
        {
            Assert.That(observed[0].Ready, Is.True, "the serving replica keeps its /ready probe");
            Assert.That(observed[0].Drift, Is.EqualTo(HealthOverlay.ProbesChanged));
            Assert.That(observed[0].IsCurrent("v1"), Is.False, "out of date: the planner rolls it out, new before old");
            Assert.That(_handler.Paths(replica.IpAddress!), Has.No.Member("/nope"), "never probed with the new path");
            Assert.That(observed[1].Ready, Is.False, "the new replica is probed with /nope");
            Assert.That(observed[1].Drift, Is.Null);
            Assert.That(observed[1].IsCurrent("v1"), Is.True);
        });
    }

    [Test]
    public async Task Apply_ProbesChangedOnly_ThePlannerStartsASuccessorAndKeepsTheServingReplicaUntilItIsReady()
    {
        // The decision, overlay then planner: before, the probes changed in place and the plan was empty (no rollout).
        var v1 = Spec("/ready");
        var replica = Running(0, "v1") with { ProbesHash = ProbesHasher.Compute(v1.HealthChecks) };
        await ReadyAsync(v1, "v1", replica);
        var desired = new DesiredReplicas(1, "v1");

        var plan = ReconcilePlanner.Plan(desired, _overlay.Apply("web", Spec("/nope"), "v1", 8080, [replica]), Start);
        var successor = Running(0, "v1") with { ContainerId = "successor", ProbesHash = ProbesHasher.Compute(Spec("/nope").HealthChecks) };
        var waiting = ReconcilePlanner.Plan(desired, _overlay.Apply("web", Spec("/nope"), "v1", 8080, [replica, successor]), Start);
        var stalled = ReconcilePlanner.Plan(desired with { RolloutProgressAt = Start, ProgressDeadline = TimeSpan.FromMinutes(1) }, _overlay.Apply("web", Spec("/nope"), "v1", 8080, [replica, successor]), Start.AddMinutes(2));

        Assert.Multiple(() =>
        {
            Assert.That(plan.Steps, Is.EqualTo(new PlanStep[] { new CreateReplica(0) }), "a successor with the new probes; the serving replica stays");
            Assert.That(waiting.Steps, Is.Empty, "the successor has not passed /nope: the old replica keeps serving");
            Assert.That(stalled.Steps.OfType<RolloutFailed>().Single().Reason, Does.StartWith("no new replica became ready within the progress deadline (60 s); the old version keeps serving"));
            Assert.That(stalled.Steps.OfType<RemoveReplica>(), Is.Empty);
        });
    }

    [Test]
    public async Task Apply_ReplicaWithoutProbesLabel_TakenAsCreatedWithTheFirstProbesSeenThenRolledOnAChange()
    {
        // A replica created by a node before the label: upgrading the node rolls nothing, a later change of the probes does.
        var replica = Running(0, "v1");
        await ReadyAsync(Spec("/ready"), "v1", replica);
        Assert.That(_overlay.Apply("web", Spec("/ready"), "v1", 8080, [replica])[0].Drift, Is.Null, "upgrading rolls nothing");

        var changed = _overlay.Apply("web", Spec("/nope"), "v1", 8080, [replica]);

        Assert.Multiple(() =>
        {
            Assert.That(changed[0].Drift, Is.EqualTo(HealthOverlay.ProbesChanged));
            Assert.That(changed[0].Ready, Is.True, "it keeps its /ready probe");
        });
    }

    [Test]
    public void Apply_ExitedReplicaWithOtherProbes_OutOfDateSoItsBackoffNoLongerHolds()
    {
        var exited = ReconcilerTestData.Replica(0, "v1", running: false) with { ProbesHash = "000000000000" };
        var unlabelled = ReconcilerTestData.Replica(1, "v1", running: false);

        var observed = _overlay.Apply("web", Spec("/ready"), "v1", 8080, [exited, unlabelled]);

        Assert.Multiple(() =>
        {
            Assert.That(observed[0].IsCurrent("v1"), Is.False);
            Assert.That(observed[0].Drift, Is.EqualTo(HealthOverlay.ProbesChanged));
            Assert.That(observed[1].IsCurrent("v1"), Is.True, "an earlier node's replica is taken as created with the spec's probes");
        });
    }

    [Test]
    public void Apply_ReplicaCreatedWithNetRawAndOtherProbes_NamesBothDrifts()
    {
        const string netRaw = "created with NET_RAW by an earlier version of the node";
        var replica = Running(0, "v1") with { ProbesHash = "000000000000", Drift = netRaw };

        var observed = _overlay.Apply("web", Spec("/ready"), "v1", 8080, [replica]);

        Assert.That(observed[0].Drift, Is.EqualTo($"{netRaw}; {HealthOverlay.ProbesChanged}"));
    }

    [Test]
    public void Apply_OldReplicaWithoutAProbeLoop_KeepsItsTcpCheckRatherThanTheNewProbe()
    {
        // After a daemon restart during a rollout the old replica's probes are unknown: it is not given the new ones.
        var old = Running(0, "v1");

        var observed = _overlay.Apply("web", Spec("/nope"), "v2", 8080, [old]);

        Assert.Multiple(() =>
        {
            Assert.That(observed[0].Ready, Is.True, "the TCP check (ready in the observed replica) decides");
            Assert.That(_monitor.Get(old.ContainerId), Is.Null, "no probe loop was started for it");
        });
    }

    [Test]
    public async Task Apply_ReplicaPausedAfterItsReadinessProbePassed_NotReadyAtOnce()
    {
        // docker pause: the last probe passed, and the next ones only time out; until failureThreshold of them had, the
        // replica stayed in rotation and every request sent to it hung.
        var replica = Running(0, "v1");
        var spec = Spec("/ready");
        await ReadyAsync(spec, "v1", replica);

        var paused = _overlay.Apply("web", spec, "v1", 8080, [replica with { Ready = false, Paused = true, NotReadyReason = ReplicaObserver.Paused }]);

        Assert.That(paused[0].Ready, Is.False);
    }

    private static DeploymentSpec Spec(string readinessPath) => ReconcilerTestData.Spec($"""
        healthChecks:
          readiness:
            path: {readinessPath}
            periodSeconds: 1
            failureThreshold: 1
        """);

    private static ObservedReplica Running(int index, string hash) =>
        ReconcilerTestData.Replica(index, hash) with { StartedAt = Start, IpAddress = $"10.0.0.{index + 2}" };

    private async Task ReadyAsync(DeploymentSpec spec, string hash, ObservedReplica replica)
    {
        _overlay.Apply("web", spec, hash, 8080, [replica]);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_monitor.Get(replica.ContainerId)?.Health == ReplicaHealth.Ready), TestTimeouts.Short, "the replica to pass its readiness probe");
        Assert.That(_overlay.Apply("web", spec, hash, 8080, [replica])[0].Ready, Is.True);
    }

    /// <summary>Answers 200 on <c>/ready</c> and 404 elsewhere, and records each host's paths.</summary>
    private sealed class PathHandler : HttpMessageHandler
    {
        private readonly List<(string Host, string Path)> _seen = [];

        public IReadOnlyList<string> Paths(string host)
        {
            lock (_seen)
            {
                return [.. _seen.Where(s => s.Host == host).Select(s => s.Path)];
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (_seen)
            {
                _seen.Add((request.RequestUri!.Host, request.RequestUri.AbsolutePath));
            }

            return Task.FromResult(new HttpResponseMessage(request.RequestUri.AbsolutePath == "/ready" ? HttpStatusCode.OK : HttpStatusCode.NotFound));
        }
    }
}
