using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class StartRetriesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void Delay_FailuresInARow_15sDoublingCappedAt5Minutes()
    {
        var delays = Enumerable.Range(1, 8).Select(n => StartRetries.Delay(n).TotalSeconds);

        Assert.That(delays, Is.EqualTo(new[] { 15, 30, 60, 120, 240, 300, 300, 300 }));
    }

    [Test]
    public void Waiting_BeforeAndAtTheNextAttempt_WaitsThenLetsOneAttemptThrough()
    {
        var retries = new StartRetries();
        var failed = retries.Failed("web", "h1", 0, "replica 0 could not be started: x", T0);

        Assert.Multiple(() =>
        {
            Assert.That(failed.NextAttempt, Is.EqualTo(T0.AddSeconds(15)));
            Assert.That(retries.Waiting("web", "h1", 0, T0.AddSeconds(14.9)), Is.EqualTo(failed));
            Assert.That(retries.Waiting("web", "h1", 0, T0.AddSeconds(15)), Is.Null);
            Assert.That(retries.Waiting("other", "h1", 0, T0), Is.Null, "per deployment");
        });
    }

    [Test]
    public void Failed_SameVersionAgain_CountsUpAndWaitsLonger()
    {
        var retries = new StartRetries();
        retries.Failed("web", "h1", 0, "e", T0);

        var second = retries.Failed("web", "h1", 0, "e2", T0.AddSeconds(15));

        Assert.That(second, Is.EqualTo(new StartRetry("h1", 2, 0, T0.AddSeconds(45), "e2")));
    }

    [Test]
    public void Waiting_NewSpecVersion_ForgetsTheFailures()
    {
        var retries = new StartRetries();
        retries.Failed("web", "h1", 0, "e", T0);
        retries.Failed("web", "h1", 0, "e", T0);

        Assert.Multiple(() =>
        {
            Assert.That(retries.Waiting("web", "h2", 0, T0), Is.Null, "a new version is tried at once");
            Assert.That(retries.Failed("web", "h2", 0, "e", T0).Failures, Is.EqualTo(1), "and starts a new backoff");
        });
    }

    [Test]
    public void Waiting_OneMoreReplicaReady_ForgetsTheFailures()
    {
        var retries = new StartRetries();
        retries.Failed("web", "h1", 1, "e", T0);
        retries.Failed("web", "h1", 1, "e", T0);

        Assert.Multiple(() =>
        {
            Assert.That(retries.Waiting("web", "h1", 1, T0.AddSeconds(1)), Is.Not.Null, "as many ready as at the failure: still waiting");
            Assert.That(retries.Waiting("web", "h1", 2, T0.AddSeconds(1)), Is.Null, "a replica became ready");
            Assert.That(retries.Failed("web", "h1", 2, "e", T0).Failures, Is.EqualTo(1));
        });
    }

    [Test]
    public void Describe_Waiting_SaysTheErrorTheAttemptAndWhenTheNextRuns()
    {
        var retry = new StartRetry("h1", 2, 0, T0.AddSeconds(45), "replica 0 could not be started: boom");

        Assert.That(retry.Describe(T0.AddSeconds(15)), Is.EqualTo("replica 0 could not be started: boom; attempt 2 failed, next attempt in 30s (at 12:00:45 UTC)"));
    }
}
