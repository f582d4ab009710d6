using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class RemovalGraceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 17, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);

    [Test]
    public void Hold_SpecSeenThenGone_HeldForTheGraceThenRemovedAndNotHeldAgain()
    {
        var grace = new RemovalGrace(Grace);
        grace.Hold("web", hasSpec: true, onPurpose: false, serving: true, T0);

        var first = grace.Hold("web", hasSpec: false, onPurpose: false, serving: true, T0.AddSeconds(1));
        var later = grace.Hold("web", hasSpec: false, onPurpose: false, serving: true, T0.AddSeconds(2.5));
        var over = grace.Hold("web", hasSpec: false, onPurpose: false, serving: true, T0.AddSeconds(4));
        var draining = grace.Hold("web", hasSpec: false, onPurpose: false, serving: true, T0.AddSeconds(4.5));

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(Grace), "counted from the first pass that missed the spec");
            Assert.That(later, Is.EqualTo(TimeSpan.FromSeconds(1.5)));
            Assert.That(over, Is.Null);
            Assert.That(draining, Is.Null, "a grace once over does not start again while the removal runs");
        });
    }

    [Test]
    public void Hold_SpecBackWithinTheGrace_NotHeldAndALaterRemovalGetsAFreshGrace()
    {
        var grace = new RemovalGrace(Grace);
        grace.Hold("web", hasSpec: true, onPurpose: false, serving: true, T0);
        grace.Hold("web", hasSpec: false, onPurpose: false, serving: true, T0.AddSeconds(1));

        var back = grace.Hold("web", hasSpec: true, onPurpose: false, serving: true, T0.AddSeconds(2));
        var goneAgain = grace.Hold("web", hasSpec: false, onPurpose: false, serving: true, T0.AddMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(back, Is.Null);
            Assert.That(goneAgain, Is.EqualTo(Grace));
        });
    }

    [TestCase(true, true, TestName = "Hold_DeletedOnPurpose_RemovedAtOnce")]
    [TestCase(false, false, TestName = "Hold_NoReplicaReady_RemovedAtOnce")]
    public void Hold_NotHeld_RemovedAtOnce(bool onPurpose, bool serving)
    {
        var grace = new RemovalGrace(Grace);
        grace.Hold("web", hasSpec: true, onPurpose: false, serving: true, T0);

        Assert.That(grace.Hold("web", hasSpec: false, onPurpose, serving, T0.AddSeconds(1)), Is.Null);
    }

    [Test]
    public void Hold_NeverSeenWithASpec_RemovedAtOnce()
    {
        // Removed while the daemon was down: its containers are found at the start with no spec, nothing to wait for.
        Assert.That(new RemovalGrace(Grace).Hold("web", hasSpec: false, onPurpose: false, serving: true, T0), Is.Null);
    }

    [Test]
    public void Hold_ZeroGrace_RemovedAtOnce()
    {
        var grace = new RemovalGrace(TimeSpan.Zero);
        grace.Hold("web", hasSpec: true, onPurpose: false, serving: true, T0);

        Assert.That(grace.Hold("web", hasSpec: false, onPurpose: false, serving: true, T0), Is.Null);
    }
}
