using GradientNode.Daemon.Cli.Wait;
using NUnit.Framework;

namespace GradientNode.Tests.Cli.Wait;

[TestFixture]
[Category("Unit")]
internal sealed class JobPhaseLinesTests
{
    [Test]
    public void Next_QuickJobSeenPendingThenSucceededWithAStartTime_PrintsRunningFirst()
    {
        // Before: "a: PENDING" then "a: SUCCEEDED", as if the job never ran.
        Assert.That(JobPhaseLines.Next("a", ("PENDING", null), "SUCCEEDED", null, started: true), Is.EqualTo(new[] { "a: RUNNING", "a: SUCCEEDED" }));
    }

    [Test]
    public void Next_FirstPollFindsTheJobFailedWithAStartTime_PrintsRunningThenTheEndWithItsMessage()
    {
        Assert.That(JobPhaseLines.Next("a", null, "FAILED", "exited with code 1", started: true), Is.EqualTo(new[] { "a: RUNNING", "a: FAILED: exited with code 1" }));
    }

    [Test]
    public void Next_JobSeenRunningThenSucceeded_PrintsOnlyTheEnd()
    {
        Assert.That(JobPhaseLines.Next("a", ("RUNNING", null), "SUCCEEDED", null, started: true), Is.EqualTo(new[] { "a: SUCCEEDED" }));
    }

    [Test]
    public void Next_JobEndedWithoutStarting_NoRunningLineInvented()
    {
        Assert.Multiple(() =>
        {
            Assert.That(JobPhaseLines.Next("a", ("PENDING", null), "ERROR", "secret 'x' does not exist", started: false), Is.EqualTo(new[] { "a: ERROR: secret 'x' does not exist" }));
            Assert.That(JobPhaseLines.Next("b", ("PENDING", null), "SKIPPED", "it needs a, which ended ERROR", started: false), Is.EqualTo(new[] { "b: SKIPPED: it needs a, which ended ERROR" }));
            Assert.That(JobPhaseLines.Next("c", ("PENDING", null), "CANCELED", null, started: false), Is.EqualTo(new[] { "c: CANCELED" }));
        });
    }

    [Test]
    public void Next_NothingChanged_PrintsNothing_AMessageChangePrintsTheLineAgain()
    {
        Assert.Multiple(() =>
        {
            Assert.That(JobPhaseLines.Next("a", ("PENDING", "waits for GPUs: x"), "PENDING", "waits for GPUs: x", started: false), Is.Empty);
            Assert.That(JobPhaseLines.Next("a", ("PENDING", "waits for GPUs: x"), "PENDING", "waits for GPUs: y", started: false), Is.EqualTo(new[] { "a: PENDING: waits for GPUs: y" }));
        });
    }
}
