using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Daemon.Hosting;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A run holds the dataset versions it resolved (its input at the start, the version job <c>a</c> commits for job
/// <c>b</c>) from resolution until it ends, on every end: removing one meanwhile is refused naming the run. The real
/// dataset store on a temp folder, an in-memory engine, each job held in its secret lookup until the test lets it go
/// (so a version is resolved and not yet mounted while it waits).
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class WorkflowServiceDatasetHoldsTests
{
    private const string Yaml = """
        inputs:
          d:
            type: dataset
            with: {ref: src}
        jobs:
          a:
            env:
              TOKEN: secret:gate
            uses: container@v1
            outputs:
              o:
                type: dataset
                with: {ref: out}
            with:
              image: gradient-test/web:1
          b:
            needs: [a]
            env:
              TOKEN: secret:gate
            uses: container@v1
            inputs:
              d: workflow.inputs.d
              o: a.outputs.o
            with:
              image: gradient-test/web:1
        """;

    private const string Holder = "workflow 'w' run 1";

    private SemaphoreSlim _gate = null!;
    private volatile bool _secretFound;
    private string _state = string.Empty;
    private FakeTimeProvider _clock = null!;
    private WorkflowRunStore _runs = null!;
    private DatasetStore _datasets = null!;
    private WorkflowService? _service;
    private DatasetVersion _input = null!;

    [SetUp]
    public async Task SetUp()
    {
        _gate = new SemaphoreSlim(0);
        _secretFound = true;
        _service = null;
        _state = Directory.CreateTempSubdirectory("gn-holds-").FullName;
        _clock = new FakeTimeProvider();
        _runs = new WorkflowRunStore(_state);
        _datasets = new DatasetStore(Path.Combine(_state, "datasets"), _clock);
        _datasets.Create("src", null);
        var write = _datasets.BeginWrite("src", null);
        await File.WriteAllTextAsync(Path.Combine(write.ContentPath, "f"), "x");
        _input = await _datasets.CommitAsync(write, CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown()
    {
        _gate.Release(10);
        if (_service is not null)
        {
            await _service.StopAsync(CancellationToken.None);
            _service.Dispose();
        }

        _gate.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    [Test]
    public async Task Run_Succeeds_HoldsItsInputAndTheVersionJobACommittedUntilItEnds()
    {
        await StartServiceAsync();
        await StartRunAsync();
        await WaitUntilHeldAsync(_input.Id);

        Assert.That(() => _datasets.Remove("src", _input.Version), Throws.TypeOf<DatasetException>().With.Property(nameof(DatasetException.Error)).EqualTo(DatasetError.InUse).And.Message.Contains(Holder));
        _gate.Release(); // job a runs and commits out:…; b waits in its turn, its inputs resolved, nothing mounted
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_datasets.Leases.HeldBy(Holder).Count == 2), TestTimeouts.Short, "the version job a committed to be held");
        var committed = _datasets.Leases.HeldBy(Holder).Single(id => id.StartsWith("out:", StringComparison.Ordinal));
        Assert.That(() => _datasets.Remove("out", committed.Split(':')[1]), Throws.TypeOf<DatasetException>().With.Message.Contains(Holder));
        _gate.Release();
        var status = await WaitForEndAsync();

        Assert.Multiple(() =>
        {
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Message);
            Assert.That(_datasets.Leases.HeldBy(Holder), Is.Empty, "let go at the end");
        });
        Assert.That(() => _datasets.Remove("src", _input.Version), Throws.Nothing);
    }

    [Test]
    public async Task Run_EndsInError_LetsGoOfItsVersions()
    {
        await StartServiceAsync();
        await StartRunAsync();
        await WaitUntilHeldAsync(_input.Id);

        _secretFound = false; // job a fails (its secret is missing), b is skipped and never mounts its input
        _gate.Release();
        var status = await WaitForEndAsync();

        Assert.Multiple(() =>
        {
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Error), status.Message);
            Assert.That(_datasets.Leases.HeldBy(Holder), Is.Empty);
        });
    }

    [Test]
    public async Task Run_Canceled_LetsGoOfItsVersions()
    {
        await StartServiceAsync();
        await StartRunAsync();
        await WaitUntilHeldAsync(_input.Id);

        Assert.That(_service!.Cancel("w", 1), Is.True);
        _gate.Release(2);
        var status = await WaitForEndAsync();

        Assert.Multiple(() =>
        {
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Canceled), status.Message);
            Assert.That(_datasets.Leases.HeldBy(Holder), Is.Empty);
        });
    }

    [Test]
    public async Task Run_UnfinishedWhenTheDaemonRestarted_HeldAgainFromItsRecordThenLetGoWhenItEnds()
    {
        // What the last daemon left: run 1 RUNNING, its input resolved and recorded, job a not started.
        var record = _runs.Create(Plan(), Yaml, null, DateTimeOffset.UnixEpoch);
        _runs.Save(record with
        {
            Status = record.Status with
            {
                Phase = WorkflowPhase.Running,
                Started = DateTimeOffset.UnixEpoch,
                Inputs = new Dictionary<string, RunValue> { ["d"] = new() { Type = "dataset", Dataset = new DatasetValue(_input.Id) } },
            },
        });
        _datasets = new DatasetStore(_datasets.Root, _clock); // a new process: nothing held in memory

        var restored = DatasetStoreWorkflowDatasets.RestoreHolds(_datasets, _runs);

        Assert.That(restored, Is.EqualTo(1));
        Assert.That(() => _datasets.Remove("src", _input.Version), Throws.TypeOf<DatasetException>().With.Message.Contains(Holder), "held before the run continues");
        await StartServiceAsync();
        _gate.Release(2);
        var status = await WaitForEndAsync();

        Assert.Multiple(() =>
        {
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Message);
            Assert.That(_datasets.Leases.HeldBy(Holder), Is.Empty);
        });
    }

    private async Task StartServiceAsync()
    {
        var engine = new GpuJobEngine();
        var secrets = new JobSecrets(name => name == "gate" && _gate.Wait(TestTimeouts.Short) && _secretFound ? "value" : null);
        _service = InMemoryWorkflows.Create(_state, _clock, engine, InMemoryWorkflows.NoGpus(engine, _clock, "holds-test"), _runs, _datasets, secrets, "holds-test");
        await _service.StartAsync(CancellationToken.None);
    }

    private async Task StartRunAsync() => await _service!.StartRunAsync(Plan(), Yaml, null);

    private static RunPlan Plan() => TestRunPlans.Build("w", Yaml);

    private Task WaitUntilHeldAsync(string id) =>
        TestTimeouts.WaitUntilAsync(() => Task.FromResult(_datasets.Leases.HoldersOf(id).Contains(Holder)), TestTimeouts.Short, $"{id} to be held by the run");

    private async Task<WorkflowRunStatus> WaitForEndAsync()
    {
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_service!.Get("w", 1)!.Status.Phase.IsFinished() && _runs.Get("w", 1)!.Status.Phase.IsFinished()), TestTimeouts.Short, "the run to end");
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_datasets.Leases.HeldBy(Holder).Count == 0), TestTimeouts.Short, "the run to let go of its versions");
        return _service!.Get("w", 1)!.Status;
    }
}
