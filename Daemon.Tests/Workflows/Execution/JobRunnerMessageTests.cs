using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Common;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

[TestFixture]
[Category("Unit")]
internal sealed class JobRunnerMessageTests
{
    [Test]
    public void CommitProblem_DiskFull_NamesTheFolderAndSaysWhatToDo()
    {
        // Before: "dataset output 'out' could not be committed: No space left on device : '…/.dataset.json.18087.5578….tmp'".
        Assert.Multiple(() =>
        {
            Assert.That(JobRunner.CommitProblem(FileProblemTests.NoSpace()), Is.EqualTo(
                "No space left on device, ENOSPC (in /var/lib/gradient/datasets/out): the disk of the node's state directory is full; free space (gradient-node datasets gc, gradient-node workflows delete NAME --all) and run the workflow again"));
            Assert.That(JobRunner.CommitProblem(new InvalidOperationException("the store said no")), Is.EqualTo("the store said no"));
        });
    }

    [Test]
    public void AndNote_CommitFailsAfterTheLogWasLost_KeepsBoth()
    {
        // Seen on a full disk: the job's log could not be kept, then its commit failed, and the commit's message replaced the
        // note: `workflows logs` showed nothing and nothing said why.
        var exited = ContainerJobExecutor.WithLogLost(JobOutcome.Succeeded(), "No space left on device (in /s/workflows/fill/2/jobs/write)");

        Assert.Multiple(() =>
        {
            Assert.That(JobRunner.AndNote("dataset output 'out' could not be committed: …", exited), Is.EqualTo(
                "dataset output 'out' could not be committed: …; its log could not be kept: No space left on device (in /s/workflows/fill/2/jobs/write)"));
            Assert.That(JobRunner.AndNote("string output 'acc' is missing", JobOutcome.Succeeded()), Is.EqualTo("string output 'acc' is missing"));
            Assert.That(exited.Phase, Is.EqualTo(WorkflowPhase.Succeeded));
        });
    }

    [Test]
    public void NotKept_JobFailedAfterWritingOutputs_SaysNothingOfThemWasCommitted()
    {
        // Seen live: a job that wrote /outputs/out and /outputs/msg, then exited 3, said only "exited with code 3".
        var job = new JobPlan
        {
            Id = "writer",
            Action = "container@v1",
            Outputs = new Dictionary<string, JobOutput> { ["out"] = new("dataset", "ds"), ["msg"] = new("string"), ["tmp"] = new("volume") },
        };
        var volumeOnly = job with { Outputs = new Dictionary<string, JobOutput> { ["tmp"] = new("volume") } };

        Assert.Multiple(() =>
        {
            Assert.That(JobRunner.NotKept(job, new JobOutcome(WorkflowPhase.Failed, "exited with code 3", 3)).Message, Is.EqualTo(
                "exited with code 3; its outputs out, msg were not kept (nothing of what it wrote was committed: a job's outputs are kept only when it succeeds)"));
            Assert.That(JobRunner.NotKept(volumeOnly, new JobOutcome(WorkflowPhase.Failed, "exited with code 3", 3)).Message, Is.EqualTo("exited with code 3"));
            Assert.That(JobRunner.NotKept(job, new JobOutcome(WorkflowPhase.Error, "jobs.writer: the container did not start")).Message, Is.EqualTo("jobs.writer: the container did not start"));
        });
    }

    [Test]
    public void NotKept_JobCanceledAfterWritingOutputs_SaysSoAsAFailedOneDoes()
    {
        // Before (workflows17): a FAILED job said its outputs were not kept, a CANCELED one only "canceled: stopped on SIGTERM".
        var job = new JobPlan
        {
            Id = "writer",
            Action = "container@v1",
            Outputs = new Dictionary<string, JobOutput> { ["out"] = new("dataset", "ds"), ["tmp"] = new("volume") },
        };

        Assert.That(JobRunner.NotKept(job, new JobOutcome(WorkflowPhase.Canceled, "canceled: stopped on SIGTERM", 143)).Message, Is.EqualTo(
            "canceled: stopped on SIGTERM; its output out was not kept (nothing of what it wrote was committed: a job's outputs are kept only when it succeeds)"));
    }
}
