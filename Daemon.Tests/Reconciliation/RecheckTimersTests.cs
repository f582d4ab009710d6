using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
internal sealed class RecheckTimersTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly List<string> _due = [];

    [Test]
    public void Schedule_ThreePassesAskWhileOneWaits_OneRecheckThenNone()
    {
        var timers = new RecheckTimers(_clock);

        timers.Schedule("web", TimeSpan.FromSeconds(15), _due.Add, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        timers.Schedule("web", TimeSpan.FromSeconds(15), _due.Add, CancellationToken.None);
        timers.Schedule("web", TimeSpan.FromSeconds(15), _due.Add, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Multiple(() =>
        {
            Assert.That(_due, Is.EqualTo(new[] { "web" }), "the extra passes' rechecks fold into the one waiting: no second chain");
            Assert.That(timers.Pending, Is.Zero);
        });
    }

    [Test]
    public void Schedule_SoonerRecheckAsked_ReplacesTheLaterOne()
    {
        var timers = new RecheckTimers(_clock);

        timers.Schedule("web", TimeSpan.FromSeconds(15), _due.Add, CancellationToken.None);
        timers.Schedule("web", TimeSpan.FromSeconds(1), _due.Add, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(_due, Has.Count.EqualTo(1), "the sooner one runs at its time");

        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.That(_due, Has.Count.EqualTo(1), "the later one it replaced does not run as well");
    }

    [Test]
    public void Schedule_TwoDeployments_EachGetsItsRecheck()
    {
        var timers = new RecheckTimers(_clock);

        timers.Schedule("a", TimeSpan.FromSeconds(15), _due.Add, CancellationToken.None);
        timers.Schedule("b", TimeSpan.FromSeconds(15), _due.Add, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(15));

        Assert.That(_due, Is.EquivalentTo(new[] { "a", "b" }));
    }

    [Test]
    public void Schedule_AfterTheRecheckRan_WaitsAgain()
    {
        var timers = new RecheckTimers(_clock);
        timers.Schedule("web", TimeSpan.FromSeconds(15), _due.Add, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(15));

        timers.Schedule("web", TimeSpan.FromSeconds(15), _due.Add, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(15));

        Assert.That(_due, Has.Count.EqualTo(2), "the pass a recheck runs asks for the next one");
    }
}
