using GradientNode.Core.Workflows.Runs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A node action (git-checkout, s3-download) whose output's commit the daemon's stop suspended: with no output of it
/// committed yet, the next start runs it again and one version is committed, not two. (The case where one of its outputs
/// was committed before the stop, which JobRunner goes on from without running the action again, no longer arises: such
/// an action writes one dataset output at most, since another, which <c>path</c> does not point at, is refused when the
/// file is read, as it would be committed empty.)
/// </summary>
internal sealed partial class WorkflowRunnerCommitTests
{
    [Test]
    public async Task Stop_WhileANodeActionsOnlyOutputIsCommitted_TheNextStartRunsItAgainAndCommitsOneVersion()
    {
        const string checkout = """
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
        var run = await StartAsync(checkout);
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
