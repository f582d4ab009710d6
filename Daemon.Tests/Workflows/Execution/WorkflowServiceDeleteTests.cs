using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// Deleting runs (<see cref="WorkflowService.DeleteAsync"/>), retention when a run ends, a failed job's new dataset
/// removed at the run's end, and outputs shown in the file's order. The real run and dataset stores on a temp folder, an
/// in-memory engine whose containers have exited already; a job that needs <c>secret:gate</c> waits in its secret lookup
/// until the test lets it go, so a run stays RUNNING as long as the test needs.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed partial class WorkflowServiceDeleteTests
{
    private const string Gated = """
        inputs:
          d:
            type: dataset
            with: {ref: src}
        jobs:
          a:
            env:
              TOKEN: secret:gate
            uses: container@v1
            inputs:
              d: workflow.inputs.d
            with:
              image: gradient-test/web:1
        """;

    private const string Writes = """
        jobs:
          f:
            uses: container@v1
            outputs:
              fresh:
                type: dataset
                with: {ref: fresh}
              old:
                type: dataset
                with: {ref: old}
            with:
              image: gradient-test/web:1
        """;

    private SemaphoreSlim _gate = null!;
    private string _state = string.Empty;
    private FakeTimeProvider _clock = null!;
    private WorkflowRunStore _runs = null!;
    private DatasetStore _datasets = null!;
    private GpuJobEngine _engine = null!;
    private WorkflowService? _service;
    private DatasetVersion _input = null!;

    [SetUp]
    public async Task SetUp()
    {
        _gate = new SemaphoreSlim(0);
        _service = null;
        _state = Directory.CreateTempSubdirectory("gn-wfdelete-").FullName;
        _clock = new FakeTimeProvider();
        _runs = new WorkflowRunStore(_state);
        _datasets = new DatasetStore(Path.Combine(_state, "datasets"), _clock);
        _engine = new GpuJobEngine();
        _datasets.Create("src", null);
        var write = _datasets.BeginWrite("src", null);
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "f"), "x");
        _input = await _datasets.CommitAsync(write, CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown()
    {
        _gate.Release(20);
        if (_service is not null)
        {
            await _service.StopAsync(CancellationToken.None);
            _service.Dispose();
        }

        _gate.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    [Test]
    public async Task DeleteAsync_RunNotEndedThenEnded_RefusedThenGoneAndItsNumberNotGivenAgain()
    {
        await StartServiceAsync();
        var run = await _service!.StartRunAsync(Plan("w", Gated), Gated, null);
        await WaitUntilHeldAsync(Holder(1));

        var whileRunning = await _service.DeleteAsync("w", 1, CancellationToken.None);
        _gate.Release();
        await WaitDeletedAsync("w", 1);
        var again = await _service.DeleteAsync("w", 1, CancellationToken.None);
        var next = await _service.StartRunAsync(Plan("w", Gated), Gated, null);
        _gate.Release();
        await WaitEndedAsync("w", 2); // nothing of the test runs on while TearDown removes the folder

        Assert.Multiple(() =>
        {
            Assert.That(run.Status.Run, Is.EqualTo(1));
            Assert.That(whileRunning, Is.EqualTo(RunDeletion.NotEnded));
            Assert.That(_service.Get("w", 1), Is.Null);
            Assert.That(again, Is.EqualTo(RunDeletion.NotFound));
            Assert.That(next.Status.Run, Is.EqualTo(2), "run 1's number is never given again");
        });
    }

    [Test]
    public async Task DeleteAsync_EndedRunWhoseInputARunningRunHolds_TheRunningRunStillHoldsIt()
    {
        await StartServiceAsync();
        await _service!.StartRunAsync(Plan("w", Gated), Gated, null);
        _gate.Release();
        await WaitEndedAsync("w", 1);
        await _service.StartRunAsync(Plan("w", Gated), Gated, null);
        await WaitUntilHeldAsync(Holder(2));

        await WaitDeletedAsync("w", 1);
        var refusal = Assert.Throws<DatasetException>(() => _datasets.Remove("src", _input.Version));
        _gate.Release();
        await WaitEndedAsync("w", 2);

        Assert.Multiple(() =>
        {
            Assert.That(refusal!.Error, Is.EqualTo(DatasetError.InUse));
            Assert.That(refusal.Message, Does.Contain(Holder(2)), "deleting run 1 let go of run 1's holds only");
        });
    }

    [Test]
    public async Task RunEnds_MoreEndedRunsThanKept_OldestEndedRunsDeleted()
    {
        await StartServiceAsync(runsKept: 2);
        for (var i = 1; i <= 3; i++)
        {
            await _service!.StartRunAsync(Plan("w", Gated), Gated, null);
            _gate.Release();
            await WaitEndedAsync("w", i);
        }

        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_runs.Runs("w").Select(r => r.Status.Run).SequenceEqual([2, 3])), TestTimeouts.Short, () => "runs 2 and 3 kept, got " + string.Join(",", _runs.Runs("w").Select(r => r.Status.Run)));
        Assert.That(Directory.Exists(_runs.RunDir("w", 1)), Is.False);
    }

    [Test]
    public async Task RunEnds_FailedJobsOutputCreatedANewDataset_ThatDatasetRemovedAndOneThatExistedKept()
    {
        _datasets.Create("old", null);
        _engine.ExitCodeOf = _ => 3;
        await StartServiceAsync();

        await _service!.StartRunAsync(Plan("w", Writes), Writes, null);
        var status = await WaitEndedAsync("w", 1);

        Assert.Multiple(() =>
        {
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Failed), status.Message);
            Assert.That(status.Message, Does.EndWith("removed dataset 'fresh': this run created it for a dataset output and no job committed a version to it"), "the end is seen once, whole: never the final phase without the note");
            Assert.That(_datasets.List().Select(d => d.Name), Is.EqualTo(new[] { "old", "src" }));
            Assert.That(_runs.Get("w", 1)!.Status.Message, Is.EqualTo("job f ended FAILED: exited with code 3; its outputs fresh, old were not kept (nothing of what it wrote was committed: a job's outputs are kept only when it succeeds); removed dataset 'fresh': this run created it for a dataset output and no job committed a version to it"));
        });
    }

    [Test]
    public async Task RunEnds_WhileItsDatasetIsBeingRemoved_ReadersSeeNoEndWithoutTheNote()
    {
        _datasets.Create("old", null);
        _engine.ExitCodeOf = _ => 3;
        GatedRemovalDatasets? gated = null;
        await StartServiceAsync(wrap: inner => gated = new GatedRemovalDatasets(inner));

        await _service!.StartRunAsync(Plan("w", Writes), Writes, null);
        await gated!.Entered.WaitAsync(TestTimeouts.Short);
        var stored = _runs.Get("w", 1)!.Status;
        var shown = _service.Get("w", 1)!.Status;
        gated.Open();
        var ended = await WaitEndedAsync("w", 1);

        Assert.Multiple(() =>
        {
            Assert.That(stored.Phase.IsFinished(), Is.False, $"the stored run showed its end before the clean-up: {stored.Phase} '{stored.Message}'");
            Assert.That(shown.Phase.IsFinished(), Is.False, $"the API showed its end before the clean-up: {shown.Phase} '{shown.Message}'");
            Assert.That(ended.Message, Does.EndWith("removed dataset 'fresh': this run created it for a dataset output and no job committed a version to it"));
        });
    }

    [Test]
    public async Task RunEnds_JobSucceeded_TheDatasetItCreatedKeptWithItsVersion()
    {
        await StartServiceAsync();

        await _service!.StartRunAsync(Plan("w", Writes), Writes, null);
        var status = await WaitEndedAsync("w", 1);

        Assert.Multiple(() =>
        {
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Message);
            Assert.That(_datasets.Versions("fresh"), Has.Count.EqualTo(1));
            Assert.That(status.Message, Is.Null);
        });
    }

    [Test]
    public async Task Shown_FirstJobInTheFileEndsLast_OutputsInTheFileOrder()
    {
        const string yaml = """
            jobs:
              slow:
                env:
                  TOKEN: secret:gate
                uses: container@v1
                outputs:
                  z:
                    type: volume
                with:
                  image: gradient-test/web:1
              fast:
                uses: container@v1
                outputs:
                  v2:
                    type: dataset
                    with: {ref: out}
                  a1:
                    type: volume
                with:
                  image: gradient-test/web:1
            """;
        await StartServiceAsync();
        await _service!.StartRunAsync(Plan("w", yaml), yaml, null);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_service.Get("w", 1)!.Status.Jobs["fast"].Phase == WorkflowPhase.Succeeded), TestTimeouts.Short, "job fast to end first");
        _gate.Release();
        await WaitEndedAsync("w", 1);

        var record = _service.Get("w", 1)!;
        var shown = _service.Shown(record);

        Assert.Multiple(() =>
        {
            Assert.That(record.Status.Outputs.Keys.First(), Does.StartWith("fast."), "recorded as the jobs ended");
            Assert.That(shown.Outputs.Keys, Is.EqualTo(new[] { "slow.z", "fast.v2", "fast.a1" }));
            Assert.That(shown.Jobs["fast"].Outputs.Keys, Is.EqualTo(new[] { "v2", "a1" }));
        });
    }

    private static string Holder(int run) => RunDatasetHolds.Holder("w", run);

    private async Task StartServiceAsync(int runsKept = RunRetention.DefaultKept, Func<IWorkflowDatasets, IWorkflowDatasets>? wrap = null)
    {
        var secrets = new JobSecrets(name => name == "gate" && _gate.Wait(TestTimeouts.Short) ? "value" : null);
        _service = InMemoryWorkflows.Create(_state, _clock, _engine, InMemoryWorkflows.NoGpus(_engine, _clock, "delete-test"), _runs, _datasets, secrets, "delete-test", runsKept, wrap);
        await _service.StartAsync(CancellationToken.None);
    }

    private static RunPlan Plan(string name, string yaml) => TestRunPlans.Build(name, yaml);

    private Task WaitUntilHeldAsync(string holder) =>
        TestTimeouts.WaitUntilAsync(() => Task.FromResult(_datasets.Leases.HoldersOf(_input.Id).Contains(holder)), TestTimeouts.Short, $"{_input.Id} to be held by {holder}");

    private async Task<WorkflowRunStatus> WaitEndedAsync(string name, int run)
    {
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_runs.Get(name, run)?.Status.Phase.IsFinished() == true && _datasets.Leases.HeldBy(Holder(run)).Count == 0), TestTimeouts.Short, $"run {run} to end");
        return _runs.Get(name, run)!.Status;
    }

    /// <summary>Deletes the run once it has ended (a run just ending is still the service's for a moment: NotEnded).</summary>
    private Task WaitDeletedAsync(string name, int run) =>
        TestTimeouts.WaitUntilAsync(async () => await _service!.DeleteAsync(name, run, CancellationToken.None) == RunDeletion.Deleted, TestTimeouts.Short, $"run {run} to be deleted");
}
