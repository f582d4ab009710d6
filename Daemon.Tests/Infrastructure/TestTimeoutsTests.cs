using NUnit.Framework;

namespace GradientNode.Tests.Infrastructure;

/// <summary>The test helpers that stand in for sleeps must still fail where a sleep-then-assert failed.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class TestTimeoutsTests
{
    [Test]
    public void AssertStaysAsync_ConditionTurnsFalseWithinTheSpan_Fails()
    {
        var checks = 0;

        Assert.That(
            async () => await TestTimeouts.AssertStaysAsync(() => ++checks < 3, TimeSpan.FromSeconds(5), "an extra attempt"),
            Throws.InstanceOf<AssertionException>().With.Message.Contains("an extra attempt"));
    }

    [Test]
    public async Task AssertStaysAsync_ConditionHoldsThroughout_ChecksAgainAtTheEnd()
    {
        var checks = 0;

        await TestTimeouts.AssertStaysAsync(() => ++checks > 0, TimeSpan.FromMilliseconds(100), "holds");

        Assert.That(checks, Is.GreaterThan(1));
    }

    [Test]
    public void HoldAsync_NoReason_Throws()
    {
        Assert.That(() => TestTimeouts.HoldAsync(" ", TimeSpan.FromMilliseconds(1)), Throws.ArgumentException);
    }

    [Test]
    public async Task CompletesWithinAsync_TaskThatNeverEnds_False()
    {
        var never = new TaskCompletionSource();

        var endless = await TestTimeouts.CompletesWithinAsync(never.Task, TimeSpan.FromMilliseconds(50));
        var done = await TestTimeouts.CompletesWithinAsync(Task.CompletedTask, TestTimeouts.Short);

        Assert.Multiple(() =>
        {
            Assert.That(endless, Is.False);
            Assert.That(done, Is.True);
        });
    }

    [Test]
    public async Task WaitAtMostAsync_ConditionNeverTrue_FalseWithoutFailing()
    {
        Assert.That(await TestTimeouts.WaitAtMostAsync(() => false, TimeSpan.FromMilliseconds(50)), Is.False);
    }
}
