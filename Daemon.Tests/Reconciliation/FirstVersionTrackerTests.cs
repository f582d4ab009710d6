using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class FirstVersionTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 7, 0, 0, TimeSpan.Zero);
    private readonly FirstVersionTracker _tracker = new();

    [Test]
    public void Since_NeverReady_TheFirstTimeSeenAndKept()
    {
        var desired = new DesiredReplicas(1, "h1");

        var first = _tracker.Since("web", desired, [Replica("h1", ready: false)], T0);
        var later = _tracker.Since("web", desired, [Replica("h1", ready: false)], T0.AddMinutes(5));

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(T0));
            Assert.That(later, Is.EqualTo(T0));
        });
    }

    [Test]
    public void Since_NoReplicaOfTheVersionYet_ClockStartsWhenTheFirstIsCreated()
    {
        var desired = new DesiredReplicas(1, "h1");
        _tracker.Since("web", desired, [], T0);
        var preparing = _tracker.Since("web", desired, [], T0.AddMinutes(30)); // a 30-minute fetch or pull

        var created = _tracker.Since("web", desired, [Replica("h1", ready: false)], T0.AddMinutes(31));
        var later = _tracker.Since("web", desired, [Replica("h1", ready: false)], T0.AddMinutes(32));

        Assert.Multiple(() =>
        {
            Assert.That(preparing, Is.EqualTo(T0.AddMinutes(30)));
            Assert.That(created, Is.EqualTo(T0.AddMinutes(30)), "counted from the last pass still preparing, not from the first sight");
            Assert.That(later, Is.EqualTo(T0.AddMinutes(30)), "from the first replica on, the clock runs");
        });
    }

    [Test]
    public void Since_OnceAReplicaWasReady_NullEvenWhenNoneIsReadyAfter()
    {
        var desired = new DesiredReplicas(1, "h1");
        _tracker.Since("web", desired, [Replica("h1", ready: false)], T0);
        _tracker.Since("web", desired, [Replica("h1", ready: true)], T0.AddMinutes(1));

        Assert.That(_tracker.Since("web", desired, [Replica("h1", ready: false)], T0.AddMinutes(20)), Is.Null, "a crash loop after it served is not a first version's wait");
    }

    [Test]
    public void Since_NewVersionWithNoOldOneRunning_StartsTheClockAgain()
    {
        _tracker.Since("web", new DesiredReplicas(1, "h1"), [Replica("h1", ready: true)], T0);

        var since = _tracker.Since("web", new DesiredReplicas(1, "h2"), [Replica("h2", ready: false)], T0.AddMinutes(3));

        Assert.That(since, Is.EqualTo(T0.AddMinutes(3)));
    }

    [Test]
    public void Since_OldVersionStillRunning_NullTheRolloutHasItsOwnDeadline()
    {
        var since = _tracker.Since("web", new DesiredReplicas(1, "h2"), [Replica("h1", ready: true), Replica("h2", ready: false)], T0);

        Assert.That(since, Is.Null);
    }

    [Test]
    public void Since_ScaledToZero_Null()
    {
        Assert.That(_tracker.Since("web", DesiredReplicas.None(DesiredReplicas.ScaledToZeroReason), [], T0), Is.Null);
    }

    private static ObservedReplica Replica(string hash, bool ready) => new()
    {
        ContainerId = $"id-{hash}",
        ContainerName = $"gradient-web-0-{hash}",
        Index = 0,
        SpecHash = hash,
        Running = true,
        State = "running",
        Ready = ready,
        Created = T0,
    };
}
