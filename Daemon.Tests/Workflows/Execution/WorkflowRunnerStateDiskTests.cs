using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A job's dataset output committed while the node's state directory is full or read-only (a real small tmpfs): the run
/// fails naming the dataset and the errno, no half version is listed, the earlier versions stay whole and readable, and
/// the next run after the disk takes writes again commits. In-memory engine (the "container" writes the output, then the
/// disk fills or turns read-only), real dataset and run stores.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class WorkflowRunnerStateDiskTests
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
                  ref: named
        """;

    private FullTmpfs _disk = null!;
    private DatasetStore _datasets = null!;
    private GpuJobEngine _engine = null!;
    private WorkflowService _service = null!;

    [SetUp]
    public async Task SetUp()
    {
        _disk = FullTmpfs.Mount();
        var clock = new FakeTimeProvider();
        _engine = new GpuJobEngine();
        _datasets = new DatasetStore(Path.Combine(_disk.Path, "datasets"), clock);
        _service = InMemoryWorkflows.Create(_disk.Path, clock, _engine, InMemoryWorkflows.NoGpus(_engine, clock, "state-disk-test"), new WorkflowRunStore(_disk.Path), _datasets, new JobSecrets(_ => null), "state-disk-test");
        await _service.StartAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _service.StopAsync(CancellationToken.None);
        _service.Dispose();
        _disk.Dispose();
    }

    [Test]
    public async Task Run_StateDirFullWhenTheOutputIsCommitted_FailsNamingTheDatasetAndErrnoEarlierVersionKeptNextRunCommits()
    {
        var first = await RunAsync("first.txt", then: null);
        var failed = await RunAsync("second.txt", then: () => _disk.Fill());
        File.Delete(Path.Combine(_disk.Path, "filler"));
        var third = await RunAsync("third.txt", then: null);

        AssertOutcome(first, failed, third, "No space left on device, ENOSPC (in ");
    }

    [Test]
    public async Task Run_StateDirReadOnlyWhenTheOutputIsCommitted_FailsNamingTheDatasetAndErrnoEarlierVersionKeptNextRunCommits()
    {
        var first = await RunAsync("first.txt", then: null);
        WorkflowRunStatus failed;
        try
        {
            failed = await RunAsync("second.txt", then: () => _disk.ReadOnly(true));
        }
        finally
        {
            _disk.ReadOnly(false);
        }

        var third = await RunAsync("third.txt", then: null);

        AssertOutcome(first, failed, third, ": Read-only file system, EROFS");
    }

    private void AssertOutcome(WorkflowRunStatus first, WorkflowRunStatus failed, WorkflowRunStatus third, string reason)
    {
        var versions = _datasets.Versions("named");
        Assert.Multiple(() =>
        {
            Assert.That(first.Phase, Is.EqualTo(WorkflowPhase.Succeeded), first.Jobs["a"].Message);
            Assert.That(failed.Phase, Is.Not.EqualTo(WorkflowPhase.Succeeded));
            Assert.That(failed.Jobs["a"].Message, Does.Contain("dataset output 'out' (dataset 'named') could not be committed: ").And.Contain(reason), "names the dataset and the errno");
            Assert.That(third.Phase, Is.EqualTo(WorkflowPhase.Succeeded), third.Jobs["a"].Message);
            Assert.That(versions, Has.Count.EqualTo(2), "the first and the third, no half version");
            Assert.That(versions.Select(v => Path.Combine(_datasets.ContentPathOf("named", v.Version), "first.txt")).Where(File.Exists).Select(File.ReadAllText), Is.EqualTo(new[] { "first.txt" }), "the earlier version whole");
        });

        // The failed write's folder: removed at once, or (read-only then) by the next disk collection pass.
        _datasets.Collect([], _ => false, dryRun: false);
        Assert.That(Directory.GetFileSystemEntries(_datasets.StagingDir), Is.Empty, "the failed write is gone");
        TestContext.Out.WriteLine(failed.Jobs["a"].Message);
    }

    private async Task<WorkflowRunStatus> RunAsync(string file, Action? then)
    {
        _engine.ExitCodeOf = request =>
        {
            var output = request.Binds.Single(b => b.Target == "/outputs/out").Source;
            File.WriteAllText(Path.Combine(output, file), file);
            then?.Invoke();
            return 0;
        };
        var plan = TestRunPlans.Build("w", Yaml);
        var run = await _service.StartRunAsync(plan, Yaml, null);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_service.Get("w", run.Status.Run)!.Status.Phase.IsFinished()), TestTimeouts.Short, "the run to end");
        return _service.Get("w", run.Status.Run)!.Status;
    }
}
