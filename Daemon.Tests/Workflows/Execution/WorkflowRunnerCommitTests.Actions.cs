using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Daemon.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A node action (git-checkout, s3-download) whose output's commit the daemon's stop suspended: with no output of it
/// committed yet, the next start runs it again and one version is committed, not two. (A graceful stop after one of two
/// outputs was committed no longer arises: such an action writes one dataset output at most, since another, which
/// <c>path</c> does not point at, is refused when the file is read, as it would be committed empty. JobRunner's branch that
/// goes on from a committed output is still reached by a daemon killed after the commit and before the job's end was saved.)
/// </summary>
internal sealed partial class WorkflowRunnerCommitTests
{
    private const string Checkout = """
        jobs:
          a:
            uses: git-checkout@v1
            with:
              url: https://git.example/repo.git
              path: /outputs/out
            outputs:
              out:
                type: dataset
                with:
                  ref: disks
        """;

    [Test]
    public async Task Kill_AfterANodeActionsOnlyOutputWasCommittedBeforeItsEndWasSaved_TheNextStartKeepsThatVersionAndDoesNotRunItAgain()
    {
        // workflows17 was asked to remove JobRunner's branch that goes on from a committed output as dead: this is what reaches
        // it. Without it, the action ran again and committed a second version beside the first.
        var run = await StartAsync(Checkout);
        await WaitUntilCommittingOutAsync(run, "the output's commit to begin");
        RunRecord record = null!; // the stop leaves it saying job a RUNNING with its write open
        ResolvedDataset committed = null!;

        var (datasets, _) = await RestartAsync(beforeTheStart: async store =>
        {
            // The commit's rename happened and the save of the job's end did not: what a daemon killed between the two leaves.
            record = new WorkflowRunStore(_state).Get("w", run.Status.Run)!;
            committed = await new DatasetStoreWorkflowDatasets(store).CommitAsync(record.Writes["a/out"], RunDatasetHolds.Holder(record), null, CancellationToken.None, CancellationToken.None);
        });
        await WaitUntilEndedAsync(run, "the run to end after the next start");
        var status = _service.Get("w", run.Status.Run)!.Status;

        Assert.Multiple(() =>
        {
            Assert.That(record.Status.Jobs["a"].Phase, Is.EqualTo(WorkflowPhase.Running), "the state a kill leaves");
            Assert.That(status.Jobs["a"].Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Jobs["a"].Message);
            Assert.That(_fetcher.Calls, Is.EqualTo(1), "not run again");
            Assert.That(datasets.Versions("disks"), Has.Count.EqualTo(1), "committed once");
            Assert.That(status.Jobs["a"].Outputs["out"].Dataset, Is.EqualTo(new DatasetValue(committed.Id, true)));
        });
    }

    [Test]
    public async Task Stop_WhileANodeActionsOnlyOutputIsCommitted_TheNextStartRunsItAgainAndCommitsOneVersion()
    {
        var run = await StartAsync(Checkout);
        await WaitUntilCommittingOutAsync(run, "the output's commit to begin");

        var (datasets, _) = await RestartAsync();
        await WaitUntilEndedAsync(run, "the run to end after the next start");
        var status = _service.Get("w", run.Status.Run)!.Status;
        var disks = datasets.Resolve("disks");

        Assert.Multiple(() =>
        {
            Assert.That(status.Jobs["a"].Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Jobs["a"].Message);
            Assert.That(_fetcher.Calls, Is.EqualTo(2), "no output of it was committed yet, so the action runs again (WorkflowRunner)");
            Assert.That(datasets.Versions("disks"), Has.Count.EqualTo(1), "committed once");
            Assert.That(status.Jobs["a"].Outputs["out"].Dataset, Is.EqualTo(new DatasetValue(disks.Id, true)));
            Assert.That(File.ReadAllBytes(Path.Combine(datasets.ContentPathOf(disks.Dataset, disks.Version), "disk.img")), Is.EqualTo(new byte[] { 4, 5, 6 }), "the second pass's output; the first pass's staged write is dropped");
        });
    }
}
