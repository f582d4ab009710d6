using GradientNode.Core.Datasets;
using GradientNode.Core.Engine;
using GradientNode.Core.Gpus;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A job waiting for a GPU, on a fake clock and an in-memory engine (one A100 that a replica holds): while it waits
/// it prepares no folders and opens no dataset write, and it starts when the node signals GPUs freed (the clock
/// standing still) or, for a holder removed outside the node, at the next poll.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class WorkflowRunnerGpuWaitTests
{
    private const string Node = "gpu-wake-test";
    private const string Yaml = """
        jobs:
          train:
            resources:
              instance-type: A100-80G
            outputs:
              model:
                type: dataset
                with:
                  ref: gpu-wake-out
            uses: container@v1
            with:
              image: gradient-test/web:1
              args: [sh, -c, "true"]
        """;

    private string _state = string.Empty;
    private DatasetStore _datasets = null!;
    private FakeTimeProvider _clock = null!;
    private GpuJobEngine _engine = null!;
    private GpuAssigner _gpus = null!;
    private WorkflowService _service = null!;

    [SetUp]
    public async Task SetUp()
    {
        _state = Directory.CreateTempSubdirectory("gn-gpuwait-").FullName;
        _clock = new FakeTimeProvider();
        _engine = new GpuJobEngine();
        _datasets = new DatasetStore(Path.Combine(_state, "datasets"), _clock);
        _datasets.Create("gpu-wake-out", null);
        _engine.AddHolder(Node, "holder", "GPU-a");
        var inventory = new GpuInventory(new OneGpuSmi(), _clock, NullLogger<GpuInventory>.Instance);
        _gpus = new GpuAssigner(_engine, inventory, MachineTypeTable.BuiltIn, Node, NullLogger<GpuAssigner>.Instance, hostCpus: 4);
        _service = InMemoryWorkflows.Create(_state, _clock, _engine, _gpus, new WorkflowRunStore(_state), _datasets, new JobSecrets(_ => null), Node);
        await _service.StartAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _service.StopAsync(CancellationToken.None);
        _service.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    [Test]
    public async Task Run_GpuHeld_WaitsPreparingNothingAndStartsOnGpusFreed()
    {
        var run = await StartWaitingRunAsync();
        AssertNothingPrepared(run);

        // Polls find the GPU still held: each retry looks at the holders and prepares nothing.
        for (var i = 0; i < 3; i++)
        {
            var lists = _engine.Lists;
            _clock.Advance(WorkflowRunner.GpuPoll);
            await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_engine.Lists > lists), TestTimeouts.Short, "the waiting job to look again");
            AssertNothingPrepared(run);
        }

        // The replica is removed by the node: the signal alone (the clock standing still) starts the job.
        _engine.Containers.TryRemove("holder", out _);
        _gpus.NotifyFreed();
        var status = await WaitForEndAsync(run);

        Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Message);
        Assert.That(_engine.Created.Single().Labels[ContainerLabels.Gpus], Is.EqualTo("GPU-a"));
        Assert.That(_datasets.Versions("gpu-wake-out"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Run_GpuHolderRemovedOutsideNode_StartsAtNextPoll()
    {
        var run = await StartWaitingRunAsync();

        _engine.Containers.TryRemove("holder", out _);
        _clock.Advance(WorkflowRunner.GpuPoll);
        var status = await WaitForEndAsync(run);

        Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Message);
        Assert.That(_engine.Created, Has.Count.EqualTo(1));
    }

    private async Task<RunRecord> StartWaitingRunAsync()
    {
        var plan = TestRunPlans.Build("gpu", Yaml);
        var run = await _service.StartRunAsync(plan, Yaml, null);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(Job(run).Message is not null), TestTimeouts.Short, "the job to wait for its GPU");
        Assert.That(Job(run).Message, Is.EqualTo("waits for GPUs: needs 1 GPU of A100-80G, 0 of 1 free: held by hold-0 (GPU 0)"));
        return run;
    }

    private JobStatus Job(RunRecord run) => _service.Get(run.Status.Workflow, run.Status.Run)!.Status.Jobs["train"];

    private void AssertNothingPrepared(RunRecord run)
    {
        var record = _service.Get(run.Status.Workflow, run.Status.Run)!;
        Assert.That(record.Status.Jobs["train"].Phase, Is.EqualTo(WorkflowPhase.Pending));
        Assert.That(record.Writes, Is.Empty);
        Assert.That(Directory.Exists(new WorkflowRunStore(_state).JobDir(run.Status.Workflow, run.Status.Run, "train")), Is.False, "the job's folder");
        Assert.That(Directory.Exists(_datasets.StagingDir) && Directory.EnumerateFileSystemEntries(_datasets.StagingDir).Any(), Is.False, "a dataset write");
        Assert.That(_engine.Created, Is.Empty);
    }

    private async Task<WorkflowRunStatus> WaitForEndAsync(RunRecord run)
    {
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_service.Get(run.Status.Workflow, run.Status.Run)!.Status.Phase.IsFinished()), TestTimeouts.Short, "the run to end");
        return _service.Get(run.Status.Workflow, run.Status.Run)!.Status;
    }

    private sealed class OneGpuSmi : INvidiaSmi
    {
        public Task<string?> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
            Task.FromResult<string?>(arguments[0] == "-L" ? "GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-a)\n" : "0, GPU-a, NVIDIA A100-SXM4-80GB, 81920, 0, 0, Enabled\n");
    }
}
