using System.Text.Json;
using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class RunsNotEndedTests
{
    [Test]
    public void CancelUsage_TwoRunsNotEnded_NamesEachAndTheCommandForTheNewest()
    {
        using var runs = JsonDocument.Parse("""
            [{"run": 5, "phase": "SUCCEEDED"}, {"run": 7, "phase": "RUNNING"}, {"run": 8, "phase": "FAILED"}, {"run": 9, "phase": "PENDING"}]
            """);

        var message = RunsNotEnded.CancelUsage("train", runs.RootElement);

        Assert.That(message, Is.EqualTo(
            "usage: workflows cancel NAME RUN (the run is never guessed); not ended: run 7 (RUNNING), run 9 (PENDING); the newest: gradient-node workflows cancel train 9"));
    }

    [Test]
    public void CancelUsage_EveryRunEnded_SaysThereIsNoneToCancel()
    {
        using var runs = JsonDocument.Parse("""[{"run": 1, "phase": "CANCELED"}]""");

        Assert.That(RunsNotEnded.CancelUsage("train", runs.RootElement), Is.EqualTo(
            "usage: workflows cancel NAME RUN; workflow 'train' has no run that has not ended (gradient-node workflows runs train)"));
    }
}
