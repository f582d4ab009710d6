using System.Text.Json;
using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class WorkflowRunPrinterTests
{
    private const string Succeeded = """
        {
          "workflow": "train", "run": 1, "phase": "SUCCEEDED",
          "created": "2026-12-04T14:38:29Z", "started": "2026-12-04T14:38:29.2Z", "finished": "2026-12-04T14:38:32.7Z", "message": null,
          "inputs": {
            "src": { "type": "dataset", "with": { "ref": "raw" }, "dataset": { "id": "raw:tygahoy" } },
            "factor": { "type": "string", "value": "3" }
          },
          "outputs": {
            "prep.count": { "type": "string", "value": "3\n" },
            "prep.clean": { "type": "volume" },
            "train.model": { "type": "dataset", "with": { "ref": "trained" }, "dataset": { "id": "trained:v7tfjd1", "isCommitted": true } }
          },
          "jobs": {
            "prep": { "needs": [], "phase": "SUCCEEDED", "started": "2026-12-04T14:38:30.5Z", "finished": "2026-12-04T14:38:31.2Z", "exitCode": 0, "inputs": {}, "outputs": {} },
            "train": { "needs": ["prep"], "phase": "SUCCEEDED", "started": "2026-12-04T14:38:32Z", "finished": "2026-12-04T14:40:37Z", "exitCode": 0, "inputs": {}, "outputs": {} }
          }
        }
        """;

    [Test]
    public void Details_SucceededRun_PhaseTimesInputsJobsAndOutputsInWords()
    {
        var text = Print(Succeeded);

        Assert.That(text, Is.EqualTo("""
            Workflow:  train (run 1)
            Phase:     SUCCEEDED
            Started:   2026-12-04 14:38:29Z
            Finished:  2026-12-04 14:38:32Z (3.5s)
            Inputs:
              src     dataset  raw:tygahoy
              factor  string   "3"
            Jobs:
              JOB    PHASE      STARTED               TOOK   EXIT  MESSAGE
              prep   SUCCEEDED  2026-12-04 14:38:30Z  0.7s   0
              train  SUCCEEDED  2026-12-04 14:38:32Z  2m05s  0
            Outputs:
              prep.count   string   "3\n"
              prep.clean   volume
              train.model  dataset  trained:v7tfjd1

            """.ReplaceLineEndings("\n")));
    }

    [Test]
    public void Details_FailedJob_MessageOnOneLineAndTheCommandForItsOutput()
    {
        var text = Print("""
            {
              "workflow": "bad", "run": 2, "phase": "FAILED", "started": "2026-12-04T14:43:27Z", "finished": null,
              "message": "job a ended FAILED:\nexited with code 3",
              "inputs": {}, "outputs": { "a.out": { "type": "dataset", "with": { "ref": "out" }, "dataset": { "id": "out:abc", "isCommitted": false } } },
              "jobs": {
                "a": { "phase": "FAILED", "started": "2026-12-04T14:43:28Z", "finished": "2026-12-04T14:43:28.3Z", "exitCode": 3, "message": "exited with code 3" },
                "b": { "phase": "SKIPPED", "message": "it needs a, which ended FAILED" },
                "c": { "phase": "ERROR", "started": "2026-12-04T14:43:28Z", "message": "jobs.c.env.T: secret 'nope' does not exist on this node" }
              }
            }
            """);

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("Finished:  -\n"));
            Assert.That(text, Does.Contain("Message:   job a ended FAILED: exited with code 3\n"));
            Assert.That(text, Does.Contain("  b    SKIPPED  -                     -     -     it needs a, which ended FAILED\n"));
            Assert.That(text, Does.Contain("  a's output: gradient-node workflows logs bad 2 --job a\n"));
            Assert.That(text, Does.Not.Contain("b's output"));
            Assert.That(text, Does.Not.Contain("c's output"), "no container ran: there is no output to show");
            Assert.That(text, Does.Contain("  a.out  dataset  out:abc (not committed)\n"));
        });
    }

    [Test]
    public void Details_LongStringOutput_CutOnItsLineSayingHowLong()
    {
        var value = new string('z', 500);
        var text = Print($$"""
            { "workflow": "w", "run": 1, "phase": "SUCCEEDED", "outputs": { "j.s": { "type": "string", "value": "{{value}}" } }, "jobs": {} }
            """);

        var line = text.Split('\n').Single(l => l.StartsWith("  j.s", StringComparison.Ordinal));
        Assert.That(line, Does.EndWith("… (500 characters; -o json shows all)"));
        Assert.That(line.Length, Is.LessThan(120));
    }

    [Test]
    public void Details_OutputVersionRemovedSince_SaysSoBesideItsId()
    {
        // Before: "train.model  dataset  trained:v7tfjd1" for a version gc had removed; download then said no such version.
        var text = Print(Succeeded.Replace("\"isCommitted\": true }", "\"isCommitted\": true, \"isRemoved\": true }", StringComparison.Ordinal));

        Assert.That(text, Does.Contain("  train.model  dataset  trained:v7tfjd1 (removed since: datasets gc or rm)\n"));
        Assert.That(text, Does.Contain("  src     dataset  raw:tygahoy\n"), "a version still there says nothing more");
    }

    [Test]
    public void Details_JobsReadDatasetsOfTheirOwn_InputsListTheVersionEachRead()
    {
        // A job's inline dataset inputs (ref: corpus, the latest; ref: corpus:v06l0qc, pinned), as the node's status
        // gives them, beside an alias input (no with) that the inputs already show. Before: no Inputs section at all, so
        // which version 'corpus' was at the run showed in -o json only.
        var text = Print("""
            {
              "workflow": "consume", "run": 2, "phase": "SUCCEEDED", "inputs": {}, "outputs": {},
              "jobs": {
                "read": { "phase": "SUCCEEDED", "exitCode": 0, "inputs": {
                  "latest": { "type": "dataset", "with": { "ref": "corpus" }, "dataset": { "id": "corpus:mhmnmht" } },
                  "pinned": { "type": "dataset", "with": { "ref": "corpus:v06l0qc" }, "dataset": { "id": "corpus:v06l0qc" } } } },
                "later": { "phase": "PENDING", "inputs": {
                  "label": { "type": "string", "value": "second" },
                  "extra": { "type": "dataset", "with": { "ref": "more" } } } }
              }
            }
            """);

        Assert.That(text, Does.Contain("""
            Inputs:
              read.latest  dataset  corpus:mhmnmht
              read.pinned  dataset  corpus:v06l0qc
              later.extra  dataset  more (not resolved yet)
            Jobs:

            """.ReplaceLineEndings("\n")));
    }

    private static string Print(string body)
    {
        using var json = JsonDocument.Parse(body);
        using var output = new StringWriter();
        WorkflowRunPrinter.Details(output, json.RootElement);
        return output.ToString();
    }
}
