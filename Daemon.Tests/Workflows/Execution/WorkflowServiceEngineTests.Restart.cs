using GradientNode.Core.Engine;
using GradientNode.Core.Integrations;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A daemon restart while the node itself runs an action (git-checkout, create-model): the job runs again, once; a job
/// container that ended while the daemon was down ends when it exited.
/// </summary>
internal sealed partial class WorkflowServiceEngineTests
{
    private const string CheckoutThenModel = """
        jobs:
          fetch:
            outputs:
              repo: {type: dataset, with: {ref: fetched}}
            uses: git-checkout@v1
            with:
              url: https://git.example.invalid/org/repo.git
          register:
            needs: [fetch]
            inputs:
              model: fetch.outputs.repo
            outputs:
              model-id: {type: string}
            uses: create-model@v1
            with: {name: fetched-model, type: custom}
        """;

    [Test]
    public async Task Restart_DaemonStopsMidFetch_JobRunsAgainFromACleanOutput_OneVersionCommitted_RunSucceeds()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var fetcher = new BlockingGitFetcher();
        var first = await StartServiceAsync(engine, [fetcher]);
        await StartRunAsync(first, "checkout", CheckoutThenModel);
        await fetcher.Blocked.WaitAsync(TestTimeouts.Container);

        await first.StopAsync(CancellationToken.None);
        var cut = first.Store.Get("checkout", 1)!;
        Assert.That(cut.Status.Jobs["fetch"].Phase, Is.EqualTo(WorkflowPhase.Running), "a stop leaves the job RUNNING for the next start");
        Assert.That(cut.Writes.Keys, Is.EqualTo(new[] { "fetch/repo" }), "the interrupted attempt's write is still open");
        var second = await StartServiceAsync(engine, [fetcher]);
        var status = await WaitFinishedAsync(second, "checkout", 1);
        await second.StopAsync(CancellationToken.None);

        var fetched = _datasets.Resolve("fetched");
        var content = _datasets.ContentPathOf(fetched.Dataset, fetched.Version);
        Assert.Multiple(() =>
        {
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Message);
            Assert.That(fetcher.Calls, Is.EqualTo(2));
            Assert.That(_datasets.Versions("fetched"), Has.Count.EqualTo(1), "one version, the re-run's");
            Assert.That(Directory.EnumerateFiles(content).Select(Path.GetFileName), Is.EqualTo(new[] { "README.md" }), "nothing of the cut attempt");
            Assert.That(Directory.Exists(_datasets.StagingDir) ? Directory.EnumerateFileSystemEntries(_datasets.StagingDir) : [], Is.Empty, "the cut attempt's staging was aborted");
            Assert.That(status.Jobs["fetch"].Outputs["repo"].Dataset, Is.EqualTo(new DatasetValue(fetched.Id, true)));
            Assert.That(status.Jobs["register"].Outputs["model-id"].Value, Is.EqualTo("fetched-model:1"));
        });
    }

    [Test]
    public async Task Restart_JobEndedWhileTheDaemonWasDown_FinishedWhenItsContainerExitedNotAtTheRestart()
    {
        using var engine = await TestEnvironment.RequireEngineAsync();
        var first = await StartServiceAsync(engine);
        await StartRunAsync(first, "down", $$"""
            jobs:
              quick:
                uses: container@v1
                with: {image: {{Image}}, args: [sh, -c, "sleep 1"]}
            """);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(first.Get("down", 1)!.Status.Jobs["quick"].Phase == WorkflowPhase.Running), TestTimeouts.Container, "the job to run");
        await first.StopAsync(CancellationToken.None);
        var container = (await engine.ListContainersAsync([$"{ContainerLabels.Node}={_node}", $"{ContainerLabels.Job}=quick"], CancellationToken.None)).Single();
        DateTimeOffset? exited = null;
        await TestTimeouts.WaitUntilAsync(
            async () => (exited = (await engine.InspectContainerAsync(container.Id, CancellationToken.None))?.State is { Running: false, FinishedAt: { } at } ? at : null) is not null,
            TestTimeouts.Container,
            "the job's container to exit while the daemon is down");
        var restarted = DateTimeOffset.UtcNow;

        var second = await StartServiceAsync(engine);
        var status = await WaitFinishedAsync(second, "down", 1);
        await second.StopAsync(CancellationToken.None);

        var job = status.Jobs["quick"];
        Assert.Multiple(() =>
        {
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Message);
            Assert.That(job.Finished, Is.EqualTo(exited).Within(TimeSpan.FromMilliseconds(1)), $"its end is its container's exit ({exited:O}), not the restart ({restarted:O})");
            Assert.That(job.Finished, Is.LessThan(restarted), "ended before the daemon came back");
        });
    }

    [TestCase(false, "m:1", 1, TestName = "Restart_CreateModelCommittedBeforeTheStop_RerunReusesItsVersion")]
    [TestCase(true, "m:2", 2, TestName = "Restart_CreateModelStoppedBeforeItsRename_RerunAddsItsOwnVersion")]
    public async Task Restart_CreateModelCut_RerunCommitsExactlyOnce(bool renameNeverHappened, string expectedId, int expectedVersions)
    {
        _datasets.Create("weights", null);
        var seed = _datasets.BeginWrite("weights", null);
        await File.WriteAllTextAsync(Path.Combine(seed.ContentPath, "w.bin"), "W");
        var weights = await _datasets.CommitAsync(seed, CancellationToken.None);
        const string yaml = """
            jobs:
              register:
                inputs:
                  model: {type: dataset, with: {ref: weights}}
                outputs:
                  model-id: {type: string}
                uses: create-model@v1
                with: {name: m, type: custom}
            """;

        // What the daemon left when it died: the job RUNNING, version 1 recorded as this job's, and version 1 in the
        // store: either its own commit, or (the rename not done, its temporary folder still there) another writer's.
        var store = new WorkflowRunStore(_state);
        var created = store.Create(Plan("model", yaml), yaml, null, DateTimeOffset.UtcNow);
        store.Save(created with
        {
            ModelVersions = new Dictionary<string, string> { ["register"] = "m:1" },
            Status = created.Status with
            {
                Phase = WorkflowPhase.Running,
                Started = DateTimeOffset.UtcNow,
                Jobs = new Dictionary<string, JobStatus> { ["register"] = new() { Phase = WorkflowPhase.Running, Started = DateTimeOffset.UtcNow } },
            },
        });
        var models = new VersionedStore(Path.Combine(_state, "models"));
        await models.AddAsync("m", (dir, ct) => File.WriteAllTextAsync(Path.Combine(dir, "w.bin"), "W", ct), CancellationToken.None);
        if (renameNeverHappened)
        {
            Directory.CreateDirectory(Path.Combine(models.Root, "m", VersionedStore.TempPrefix + "wf-model-1-register"));
        }

        using var engine = await TestEnvironment.RequireEngineAsync();
        var service = await StartServiceAsync(engine);
        var status = await WaitFinishedAsync(service, "model", 1);
        await service.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Message);
            Assert.That(status.Jobs["register"].Inputs["model"].Dataset, Is.EqualTo(new DatasetValue(weights.Id)));
            Assert.That(status.Jobs["register"].Outputs["model-id"].Value, Is.EqualTo(expectedId));
            Assert.That(models.Get("m")!.Versions, Has.Count.EqualTo(expectedVersions));
            Assert.That(models.HasPartial("m", "wf-model-1-register"), Is.False);
        });
    }
}
