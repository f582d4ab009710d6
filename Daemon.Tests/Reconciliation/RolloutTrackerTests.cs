using GradientNode.Core.Health;
using GradientNode.Core.Reconciliation;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using static GradientNode.Tests.Reconciliation.ReconcilerTestData;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class RolloutTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void Track_NoReplicaOfAnotherHash_ReturnsNull()
    {
        var tracker = new RolloutTracker(NullLogger<RolloutTracker>.Instance);

        var track = tracker.Track("web", new DesiredReplicas(1, "new"), [Replica(0, "new")], T0);

        Assert.That(track, Is.Null);
    }

    [Test]
    public void Track_AnOldReplicaServesAtAnIndexAboveTheCountWhileALowerOneIsMissing_ItIsRolled()
    {
        // Replica 0 gone: 1 and 2 are the deployment's two replicas, so the old one at 2 is replaced, not scaled away.
        var tracker = new RolloutTracker(NullLogger<RolloutTracker>.Instance);

        var track = tracker.Track("web", new DesiredReplicas(2, "new"), [Replica(1, "new"), Replica(2, "old")], T0);

        Assert.That(track?.FromHashes, Is.EqualTo(new[] { "old" }));
    }

    [Test]
    public void Track_NewReplicaBecomesReady_MovesLastProgress()
    {
        var tracker = new RolloutTracker(NullLogger<RolloutTracker>.Instance);
        var desired = new DesiredReplicas(2, "new");
        var first = tracker.Track("web", desired, [Replica(0, "old"), Replica(1, "old")], T0);

        var unchanged = tracker.Track("web", desired, [Replica(0, "old"), Replica(1, "old"), Replica(2, "new", ready: false)], T0.AddMinutes(1));
        var progressed = tracker.Track("web", desired, [Replica(0, "old"), Replica(1, "old"), Replica(2, "new")], T0.AddMinutes(2));

        Assert.Multiple(() =>
        {
            Assert.That(first?.FromHashes, Is.EqualTo(new[] { "old" }));
            Assert.That(unchanged?.LastProgress, Is.EqualTo(T0), "no new replica ready: no progress");
            Assert.That(progressed?.LastProgress, Is.EqualTo(T0.AddMinutes(2)));
        });
    }

    [Test]
    public void Track_NoNewReplicaCreatedYet_ClockStartsWhenTheFirstIsCreated()
    {
        var tracker = new RolloutTracker(NullLogger<RolloutTracker>.Instance);
        var desired = new DesiredReplicas(1, "new");
        tracker.Track("web", desired, [Replica(0, "old")], T0);

        var preparing = tracker.Track("web", desired, [Replica(0, "old")], T0.AddMinutes(30)); // its integrations are fetched
        var created = tracker.Track("web", desired, [Replica(0, "old"), Replica(0, "new", ready: false)], T0.AddMinutes(31));
        var later = tracker.Track("web", desired, [Replica(0, "old"), Replica(0, "new", ready: false)], T0.AddMinutes(32));

        Assert.Multiple(() =>
        {
            Assert.That(preparing?.LastProgress, Is.EqualTo(T0.AddMinutes(30)));
            Assert.That(created?.LastProgress, Is.EqualTo(T0.AddMinutes(30)), "counted from the last pass still preparing, not from the rollout's start");
            Assert.That(later?.LastProgress, Is.EqualTo(T0.AddMinutes(30)));
        });
    }

    [Test]
    public void Track_DesiredHashChanges_StartsANewRollout()
    {
        var tracker = new RolloutTracker(NullLogger<RolloutTracker>.Instance);
        tracker.Track("web", new DesiredReplicas(1, "v2"), [Replica(0, "v1")], T0);

        var track = tracker.Track("web", new DesiredReplicas(1, "v3"), [Replica(0, "v1")], T0.AddMinutes(5));

        Assert.Multiple(() =>
        {
            Assert.That(track?.ToHash, Is.EqualTo("v3"));
            Assert.That(track?.LastProgress, Is.EqualTo(T0.AddMinutes(5)));
        });
    }

    [Test]
    public void Describe_PlanWithoutFailure_Progressing()
    {
        var track = new RolloutTrack("new", ["old"], T0, 0);

        var status = RolloutTracker.Describe(track, new DesiredReplicas(1, "new"), Plan(), []);

        Assert.That(status?.State, Is.EqualTo("Progressing"));
    }

    [Test]
    public void Describe_PlanFailed_FailedNamesTheStuckReplica()
    {
        var track = new RolloutTrack("new", ["old"], T0, 0);

        var status = RolloutTracker.Describe(track, new DesiredReplicas(1, "new"), Plan(new RolloutFailed("no progress for 10m")), [Replica(0, "old"), Replica(1, "new", ready: false)]);

        Assert.Multiple(() =>
        {
            Assert.That(status?.State, Is.EqualTo("Failed"));
            Assert.That(status?.Message, Does.StartWith("no progress for 10m; new replica 1: "));
        });
    }

    [Test]
    public void Describe_ProbesRolloutStalledOnReadiness_NamesTheProbeAndItsLastResultOnce()
    {
        var track = new RolloutTrack("cur", ["cur"], T0, 0) { Reason = "replacing replicas created before healthChecks changed" };
        var old = Replica(0, "cur") with { ProbesOutdated = true };
        var stuck = Replica(0, "cur", ready: false) with
        {
            ContainerId = "c0-new",
            Health = new HealthSnapshot(ReplicaHealth.NotReady, HasReadinessProbe: true, null, null,
                new ProbeStatus { LastResult = "httpError", LastMessage = "GET /healthz-typo answered 404", ConsecutiveFailures = 9 }, null),
        };

        var status = RolloutTracker.Describe(track, new DesiredReplicas(1, "cur") { ProbesHash = "p2" }, Plan(new RolloutFailed("no progress for 10m")), [old, stuck]);

        // Before: "…; new replica 0: readiness probe: GET /healthz-typo answered 404 (last readiness result: GET /healthz-typo answered 404)".
        Assert.That(status?.Message, Is.EqualTo("no progress for 10m; new replica 0: readiness probe: GET /healthz-typo answered 404"));
    }

    [Test]
    public void Describe_StuckReplicaStoppingForItsLivenessProbe_AddsTheReadinessResult()
    {
        var track = new RolloutTrack("new", ["old"], T0, 0);
        var stuck = Replica(0, "new", ready: false) with
        {
            Health = new HealthSnapshot(ReplicaHealth.MustRestart, HasReadinessProbe: true, "liveness probe failed 3 times in a row: 500", null,
                new ProbeStatus { LastResult = "httpError", LastMessage = "GET /ready answered 503" }, null),
        };

        var status = RolloutTracker.Describe(track, new DesiredReplicas(1, "new"), Plan(new RolloutFailed("no progress for 10m")), [Replica(0, "old"), stuck]);

        Assert.That(status?.Message, Is.EqualTo("no progress for 10m; new replica 0: liveness probe failed 3 times in a row: 500 (last readiness result: GET /ready answered 503)"));
    }

    [Test]
    public void Track_ReplicasOfTheDesiredHashCreatedWithNetRaw_ARolloutThatSaysWhyLoggedOnce()
    {
        const string drift = "created with NET_RAW by an earlier version of the node";
        var logger = new CollectingLogger<RolloutTracker>();
        var tracker = new RolloutTracker(logger);
        var desired = new DesiredReplicas(2, "cur");
        var old0 = Replica(0, "cur") with { Drift = drift };
        var old1 = Replica(1, "cur") with { Drift = drift };

        var first = tracker.Track("web", desired, [old0, old1], T0);
        tracker.Track("web", desired, [old0, old1, Replica(0, "cur", ready: false)], T0.AddSeconds(1));
        var half = tracker.Track("web", desired, [old1, Replica(0, "cur")], T0.AddSeconds(2));
        var done = tracker.Track("web", desired, [Replica(0, "cur"), Replica(1, "cur")], T0.AddSeconds(3));
        var status = RolloutTracker.Describe(half, desired, Plan(), [old1, Replica(0, "cur")]);

        Assert.Multiple(() =>
        {
            Assert.That(first?.Reason, Is.EqualTo($"replacing replicas {drift}"));
            Assert.That(first?.FromHashes, Is.EqualTo(new[] { "cur" }));
            Assert.That(half?.LastProgress, Is.EqualTo(T0.AddSeconds(2)), "a successor became ready: progress");
            Assert.That(status?.Reason, Is.EqualTo($"replacing replicas {drift}"));
            Assert.That(status?.State, Is.EqualTo("Progressing"));
            Assert.That(done, Is.Null, "every replica as this version creates one: no rollout");
            Assert.That(logger.Events.Where(e => e.Id.Id == 1011).Select(e => e.Message), Is.EqualTo(new[]
            {
                $"web: replacing replicas {drift} (2 running), through a rolling update: each one stops once its successor is ready",
            }));
        });
    }

    [Test]
    public void Track_SpecChangeAlone_NoReasonAndNothingLogged()
    {
        var logger = new CollectingLogger<RolloutTracker>();
        var tracker = new RolloutTracker(logger);

        var track = tracker.Track("web", new DesiredReplicas(1, "new"), [Replica(0, "old")], T0);

        Assert.Multiple(() =>
        {
            Assert.That(track?.Reason, Is.Null);
            Assert.That(logger.Events, Is.Empty);
        });
    }

    [Test]
    public void Track_ProbesChangedAgainWhileTheirRolloutStalls_ANewRolloutWithItsOwnDeadlineLoggedAgain()
    {
        // A readiness path that 404s stalls the first rollout; the fixed path is a new version of the probes (same spec
        // hash): before, the track stayed the first one's, with its old progress time, and nothing said the new one began.
        var logger = new CollectingLogger<RolloutTracker>();
        var tracker = new RolloutTracker(logger);
        var bad = new DesiredReplicas(1, "cur") { ProbesHash = "bad" };
        var good = bad with { ProbesHash = "good" };
        var old = Replica(0, "cur") with { Drift = HealthOverlay.ProbesChanged };
        var stuck = Replica(0, "cur", ready: false);
        tracker.Track("web", bad, [old, stuck], T0);

        var track = tracker.Track("web", good, [old, stuck with { Drift = HealthOverlay.ProbesChanged }, Replica(0, "cur", ready: false)], T0.AddMinutes(20));

        Assert.Multiple(() =>
        {
            Assert.That(track?.LastProgress, Is.EqualTo(T0.AddMinutes(20)), "the new rollout's deadline counts from its start");
            Assert.That(track?.ToProbes, Is.EqualTo("good"));
            Assert.That(track?.Reason, Is.EqualTo($"replacing replicas {HealthOverlay.ProbesChanged}"));
            Assert.That(logger.Events.Count(e => e.Id.Id == 1011), Is.EqualTo(2), "each rollout says why it happens");
        });
    }
}
