using System.Text.Json;
using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class WorkflowPrinterTests
{
    [Test]
    public void Workflows_NamesAndNumbersOfDifferentWidths_AlignsEveryColumn()
    {
        using var json = JsonDocument.Parse("""
            [{"name": "train-a-big-model", "runs": 12, "lastRun": 12, "lastPhase": "SUCCEEDED", "lastCreated": "2026-12-03T10:00:00+00:00"},
             {"name": "w", "runs": 3, "lastRun": 3, "lastPhase": "RUNNING", "lastCreated": "2026-12-03T10:00:00+00:00"}]
            """);
        var output = new StringWriter { NewLine = "\n" };

        WorkflowPrinter.Workflows(output, json.RootElement);

        Assert.That(output.ToString(), Is.EqualTo(
            "NAME               RUNS  LAST  PHASE\n" +
            "train-a-big-model  12    12    SUCCEEDED\n" +
            "w                  3     3     RUNNING\n"));
    }

    [Test]
    public void Workflows_NoWorkflows_PrintsTheHeaderOnly()
    {
        using var json = JsonDocument.Parse("[]");
        var output = new StringWriter { NewLine = "\n" };

        WorkflowPrinter.Workflows(output, json.RootElement);

        Assert.That(output.ToString(), Is.EqualTo("NAME  RUNS  LAST  PHASE\n"));
    }

    [Test]
    public void Runs_PhasesTimesAndMessagesOfDifferentWidths_AlignsEveryColumnAndLeavesTheMessageLast()
    {
        using var json = JsonDocument.Parse("""
            [{"workflow": "w", "run": 9, "phase": "FAILED", "started": "2026-12-03T10:00:00.1234567+00:00", "finished": "2026-12-03T10:05:00+00:00", "message": "job a failed\nsee its log"},
             {"workflow": "w", "run": 10, "phase": "PENDING"},
             {"workflow": "w", "run": 11, "phase": "RUNNING", "started": "2026-12-03T11:00:00+01:00"}]
            """);
        var output = new StringWriter { NewLine = "\n" };

        WorkflowPrinter.Runs(output, json.RootElement);

        Assert.That(output.ToString(), Is.EqualTo(
            "RUN  PHASE    STARTED               FINISHED              MESSAGE\n" +
            "9    FAILED   2026-12-03 10:00:00Z  2026-12-03 10:05:00Z  job a failed see its log\n" +
            "10   PENDING  -                     -\n" +
            "11   RUNNING  2026-12-03 10:00:00Z  -\n"));
    }

    [Test]
    public void Runs_RunningRunWhoseJobWaitsForGpus_ShowsWhyTheJobWaits()
    {
        using var json = JsonDocument.Parse("""
            [{"run": 1, "phase": "RUNNING", "started": "2026-12-03T10:00:00+00:00",
              "jobs": {"prep": {"phase": "SUCCEEDED"}, "train": {"phase": "PENDING", "message": "waits for GPUs: needs 1 GPU of A100, 0 of 0 free: this node has no GPUs"}}}]
            """);
        var output = new StringWriter { NewLine = "\n" };

        WorkflowPrinter.Runs(output, json.RootElement);

        Assert.That(output.ToString(), Is.EqualTo(
            "RUN  PHASE    STARTED               FINISHED  MESSAGE\n" +
            "1    RUNNING  2026-12-03 10:00:00Z  -         train: waits for GPUs: needs 1 GPU of A100, 0 of 0 free: this node has no GPUs\n"));
    }

    [TestCase(null)]
    [TestCase(80)]
    public void Runs_MessageLongerThanTheColumn_OneLineCutTo100ColumnsOrTheTerminal(int? width)
    {
        var message = "job a ended ERROR: " + string.Concat(Enumerable.Repeat("engine said no; ", 12));
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(new[] { new { workflow = "w", run = 1, phase = "ERROR", message } }));
        var output = new StringWriter { NewLine = "\n" };

        WorkflowPrinter.Runs(output, json.RootElement, width);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var cell = lines[1][lines[1].IndexOf("job a", StringComparison.Ordinal)..];
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Length.EqualTo(2));
            Assert.That(DisplayWidth.Of(width is { } w ? lines[1] : cell), Is.EqualTo(width ?? MessageColumn.MaxWidth), "before: the whole message, past any terminal");
            Assert.That(cell, Does.EndWith("…"));
        });
    }
}
