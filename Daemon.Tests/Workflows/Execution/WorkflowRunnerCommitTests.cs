using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Core.Workflows.Specs;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A job's dataset output being committed: the job's message says how far the hashing is, and a cancel of the run cuts
/// the commit (before, it ran to its end whatever was asked: minutes for a big sparse file), the half-made version removed
/// and the job CANCELED saying so. In-memory engine (the "container" writes a 512 GiB sparse file), real dataset store.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class WorkflowRunnerCommitTests
{
    private const string Yaml = """
        jobs:
          a:
            uses: container@v1
            with:
              image: gradient-test/web:1
            outputs:
              out:
                type: dataset
                with:
                  ref: disks
        """;

    private string _state = string.Empty;
    private DatasetStore _datasets = null!;
    private GpuJobEngine _engine = null!;
    private WorkflowService _service = null!;

    [SetUp]
    public async Task SetUp()
    {
        _state = Directory.CreateTempSubdirectory("gn-commit-").FullName;
        var clock = new FakeTimeProvider();
        _engine = new GpuJobEngine();
        _datasets = new DatasetStore(Path.Combine(_state, "datasets"), clock);
        _service = InMemoryWorkflows.Create(_state, clock, _engine, InMemoryWorkflows.NoGpus(_engine, clock, "commit-test"), new WorkflowRunStore(_state), _datasets, new JobSecrets(_ => null), "commit-test");
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
    public async Task Cancel_WhileADatasetOutputIsCommitted_CommitCutVersionRemovedJobCanceledSayingSo()
    {
        _engine.ExitCodeOf = request =>
        {
            var output = request.Binds.Single(b => b.Target == "/outputs/out").Source;
            using var file = new FileStream(Path.Combine(output, "disk.img"), FileMode.CreateNew, FileAccess.Write);
            file.SetLength(512L << 30); // holes: minutes of hashing on one core
            return 0;
        };
        var parsed = WorkflowParser.Parse("w.yaml", Yaml);
        var (plan, errors) = RunPlanBuilder.Build("w", parsed.Spec!, WorkflowInputsParser.Parse(parsed.Spec!, ("w.yaml", Yaml), null, null).Values!);
        Assert.That(errors, Is.Empty);
        var run = await _service.StartRunAsync(plan!, Yaml, null);

        await TestTimeouts.WaitUntilAsync(
            () => Task.FromResult(_service.Get("w", run.Status.Run)!.Status.Jobs["a"].Message?.StartsWith("committing dataset output 'out': ", StringComparison.Ordinal) == true),
            TestTimeouts.Short,
            "the job's message to say its output is being committed");
        var committing = _service.Get("w", run.Status.Run)!.Status.Jobs["a"];
        Assert.That(_service.Cancel("w", run.Status.Run), Is.True);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_service.Get("w", run.Status.Run)!.Status.Phase.IsFinished()), TestTimeouts.Short, "the run to end");
        var status = _service.Get("w", run.Status.Run)!.Status;

        Assert.Multiple(() =>
        {
            Assert.That(committing.Phase, Is.EqualTo(WorkflowPhase.Running));
            Assert.That(committing.Message, Is.EqualTo("committing dataset output 'out': 0 of 549755813888 bytes hashed (0%)"));
            Assert.That(status.Jobs["a"].Phase, Is.EqualTo(WorkflowPhase.Canceled), status.Jobs["a"].Message);
            Assert.That(status.Jobs["a"].Message, Is.EqualTo("canceled while committing dataset output 'out': nothing of it was committed"));
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Canceled));
            Assert.That(status.Outputs, Is.Empty);
            Assert.That(Directory.Exists(_datasets.StagingDir) ? Directory.GetDirectories(_datasets.StagingDir) : [], Is.Empty, "the half-made version is removed");
            Assert.That(_datasets.List().Where(d => d.Name == "disks").Sum(d => d.Versions), Is.Zero);
        });
    }
}
