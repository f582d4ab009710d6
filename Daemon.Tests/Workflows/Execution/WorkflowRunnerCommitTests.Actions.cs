using GradientNode.Core.Workflows.Runs;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A node action (git-checkout, s3-download, create-model) whose outputs' commit the daemon's stop suspended after one of
/// them was committed: the next start goes on with the commit, as it does for an adopted container job, and runs nothing
/// again. Before, it ran the action again from clean outputs, and the version the first pass had committed stayed beside
/// the second one.
/// </summary>
internal sealed partial class WorkflowRunnerCommitTests
{
    [Test]
    public async Task Stop_WhileTheSecondOutputOfANodeActionIsCommitted_TheNextStartCommitsItWithoutRunningTheActionAgain()
    {
        const string checkout = """
            jobs:
              a:
                uses: git-checkout@v1
                with:
                  url: https://git.example/repo.git
                  path: /outputs/out
                outputs:
                  small:
                    type: dataset
                    with:
                      ref: notes
                  out:
                    type: dataset
                    with:
                      ref: disks
            """;
        var run = await StartAsync(checkout);
        await WaitUntilCommittingOutAsync(run, "the second output's commit to begin");
        var notes = _datasets.Resolve("notes");

        var (datasets, _) = await RestartAsync();
        await WaitUntilEndedAsync(run, "the run to end after the next start");
        var status = _service.Get("w", run.Status.Run)!.Status;
        var disks = datasets.Resolve("disks");

        Assert.Multiple(() =>
        {
            Assert.That(status.Jobs["a"].Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Jobs["a"].Message);
            Assert.That(_fetcher.Calls, Is.EqualTo(1), "the action is not run again");
            Assert.That(status.Jobs["a"].Outputs["small"].Dataset, Is.EqualTo(new DatasetValue(notes.Id, true)), "the version the first pass committed");
            Assert.That(datasets.Versions("notes"), Has.Count.EqualTo(1), "not committed twice");
            Assert.That(status.Jobs["a"].Outputs["out"].Dataset, Is.EqualTo(new DatasetValue(disks.Id, true)));
            Assert.That(File.ReadAllBytes(Path.Combine(datasets.ContentPathOf(disks.Dataset, disks.Version), "disk.img")), Is.EqualTo(new byte[] { 1, 2, 3 }), "the staged output, shrunk by the test");
        });
    }
}
