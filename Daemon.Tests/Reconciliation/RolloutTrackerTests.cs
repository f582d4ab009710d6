using GradientNode.Core.Reconciliation;
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
        var tracker = new RolloutTracker();

        var track = tracker.Track("web", new DesiredReplicas(1, "new"), [Replica(0, "new")], T0);

        Assert.That(track, Is.Null);
    }

    [Test]
    public void Track_NewReplicaBecomesReady_MovesLastProgress()
    {
        var tracker = new RolloutTracker();
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
        var tracker = new RolloutTracker();
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
        var tracker = new RolloutTracker();
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
}
