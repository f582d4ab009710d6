using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class EngineEchoesTests
{
    private readonly FakeTimeProvider _clock = new();

    [Test]
    public void NeedsReconcile_ExpectedCreateAndStart_FalseOnceEach()
    {
        var echoes = new EngineEchoes(_clock);
        echoes.Expect("gradient-web-0-abc", "create");
        echoes.Expect("gradient-web-0-abc", "start");

        Assert.Multiple(() =>
        {
            Assert.That(echoes.NeedsReconcile(Event("create", "gradient-web-0-abc")), Is.False);
            Assert.That(echoes.NeedsReconcile(Event("start", "gradient-web-0-abc")), Is.False);
            Assert.That(echoes.NeedsReconcile(Event("start", "gradient-web-0-abc")), Is.True, "a second start (docker start by hand) is news");
            Assert.That(echoes.Pending, Is.Zero);
        });
    }

    [TestCase("die")]
    [TestCase("destroy")]
    [TestCase("oom")]
    [TestCase("kill")]
    [TestCase("health_status: unhealthy")]
    public void NeedsReconcile_StateChangeOfAnExpectedContainer_True(string action)
    {
        var echoes = new EngineEchoes(_clock);
        echoes.Expect("gradient-web-0-abc", "create");
        echoes.Expect("gradient-web-0-abc", "start");

        Assert.That(echoes.NeedsReconcile(Event(action, "gradient-web-0-abc")), Is.True);
    }

    [Test]
    public void NeedsReconcile_StartOfAnotherContainer_True()
    {
        var echoes = new EngineEchoes(_clock);
        echoes.Expect("gradient-web-0-abc", "start");

        Assert.Multiple(() =>
        {
            Assert.That(echoes.NeedsReconcile(Event("start", "gradient-web-1-abc")), Is.True);
            Assert.That(echoes.NeedsReconcile(Event("start", null)), Is.True, "no name attribute: reconcile");
        });
    }

    [TestCase("exec_create: /bin/sh -c curl -f localhost:8080")]
    [TestCase("exec_start: /bin/sh -c curl -f localhost:8080")]
    [TestCase("exec_die")]
    [TestCase("attach")]
    [TestCase("resize")]
    public void NeedsReconcile_InertAction_False(string action) =>
        Assert.That(new EngineEchoes(_clock).NeedsReconcile(Event(action, "gradient-web-0-abc")), Is.False);

    [Test]
    public void Expect_EchoesThatNeverCame_DroppedAfterTheirLifetime()
    {
        var echoes = new EngineEchoes(_clock);
        for (var i = 0; i < 64; i++)
        {
            // A create that failed, or an event that came before it was expected: never consumed.
            echoes.Expect($"gone-{i}", "create");
        }

        _clock.Advance(EngineEchoes.Lifetime + TimeSpan.FromSeconds(1));
        echoes.Expect("fresh", "create");

        Assert.That(echoes.Pending, Is.EqualTo(1));
    }

    private static EngineEvent Event(string action, string? name) =>
        new("container", action, "0123456789ab", name is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["name"] = name }, DateTimeOffset.UnixEpoch);
}
