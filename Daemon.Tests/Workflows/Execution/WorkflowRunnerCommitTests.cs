using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
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
internal sealed partial class WorkflowRunnerCommitTests
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
    private FakeTimeProvider _clock = null!;
    private WorkflowService _service = null!;
    private HugeThenSmallGitFetcher _fetcher = null!;

    [SetUp]
    public async Task SetUp()
    {
        _state = Directory.CreateTempSubdirectory("gn-commit-").FullName;
        var clock = _clock = new FakeTimeProvider();
        _engine = new GpuJobEngine();
        _datasets = new DatasetStore(Path.Combine(_state, "datasets"), clock);
        _fetcher = new HugeThenSmallGitFetcher();
        _service = CreateService(_datasets);
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
        var run = await StartHugeSparseOutputAsync(Yaml);

        await WaitUntilCommittingOutAsync(run, "the job's message to say its output is being committed");
        var committing = _service.Get("w", run.Status.Run)!.Status.Jobs["a"];
        Assert.That(_service.Cancel("w", run.Status.Run), Is.True);
        await WaitUntilEndedAsync(run, "the run to end");
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

    [Test]
    public async Task Commit_WhileADatasetOutputIsCommitted_TheJobsExitedContainerIsKeptUntilTheJobEnds()
    {
        // A daemon killed mid-commit then finds the container exited at its next start and commits again from the staging
        // folder it mounts. Before, the container was removed first: the restart failed the job ("its container vanished")
        // and the start's cleaner removed the complete output (faults11).
        var run = await StartHugeSparseOutputAsync(Yaml);

        await WaitUntilCommittingOutAsync(run, "the job's message to say its output is being committed");
        var whileCommitting = _engine.Containers.Values.Select(c => c.State.Status).ToList();
        Assert.That(_service.Cancel("w", run.Status.Run), Is.True);
        await WaitUntilEndedAsync(run, "the run to end");

        Assert.Multiple(() =>
        {
            Assert.That(whileCommitting, Is.EqualTo(new[] { "exited" }), "the job's container, exited, is there while its output is committed");
            Assert.That(_engine.Containers, Is.Empty, "and removed once the job ended");
        });
    }

    [Test]
    public async Task Stop_WhileADatasetOutputIsCommitted_JobStaysRunningWithItsWriteStagedAndTheNextStartCommitsIt()
    {
        // Before, a daemon stop (systemctl restart, an upgrade) cut the commit: the job ended ERROR "the node stopped while
        // committing dataset output 'out': nothing of it was committed", and what the job had made was removed.
        var run = await StartHugeSparseOutputAsync(Yaml);
        await WaitUntilCommittingOutAsync(run, "the job's message to say its output is being committed");

        RunRecord stopped = null!;
        List<string> kept = null!;
        var (datasets, staged) = await RestartAsync(() =>
        {
            stopped = new WorkflowRunStore(_state).Get("w", run.Status.Run)!;
            kept = [.. _engine.Containers.Values.Select(c => c.State.Status)];
        });
        await WaitUntilEndedAsync(run, "the run to end after the next start");
        var status = _service.Get("w", run.Status.Run)!.Status;
        var version = datasets.Resolve("disks");

        Assert.Multiple(() =>
        {
            Assert.That(stopped.Status.Jobs["a"].Phase, Is.EqualTo(WorkflowPhase.Running), stopped.Status.Jobs["a"].Message);
            Assert.That(stopped.Writes.Keys, Is.EqualTo(new[] { "a/out" }), "the record keeps the write");
            Assert.That(staged, Has.Length.EqualTo(1), "the write stays staged");
            Assert.That(kept, Is.EqualTo(new[] { "exited" }), "the job's container is kept for the next start");
            Assert.That(status.Jobs["a"].Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Jobs["a"].Message);
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Succeeded));
            Assert.That(status.Jobs["a"].Outputs["out"].Dataset, Is.EqualTo(new DatasetValue(version.Id, true)));
            Assert.That(File.ReadAllBytes(Path.Combine(datasets.ContentPathOf(version.Dataset, version.Version), "disk.img")), Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(_engine.Containers, Is.Empty, "removed once the commit is done");
        });
    }

    [Test]
    public async Task Stop_WhileTheSecondOfTwoOutputsIsCommitted_TheNextStartKeepsTheFirstsVersionAndCommitsTheSecond()
    {
        // Before, a stop here ended the job ERROR (the second output cut), the first output's version committed but unnamed.
        const string twoOutputs = """
            jobs:
              a:
                uses: container@v1
                with:
                  image: gradient-test/web:1
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
        _engine.ExitCodeOf = request =>
        {
            File.WriteAllText(Path.Combine(request.Binds.Single(b => b.Target == "/outputs/small").Source, "note.txt"), "hi");
            using var file = new FileStream(Path.Combine(request.Binds.Single(b => b.Target == "/outputs/out").Source, "disk.img"), FileMode.CreateNew, FileAccess.Write);
            file.SetLength(512L << 30);
            return 0;
        };
        var run = await StartAsync(twoOutputs);
        await WaitUntilCommittingOutAsync(run, "the second output's commit to begin");
        var notes = _datasets.Resolve("notes");

        var (datasets, _) = await RestartAsync();
        await WaitUntilEndedAsync(run, "the run to end after the next start");
        var status = _service.Get("w", run.Status.Run)!.Status;

        Assert.Multiple(() =>
        {
            Assert.That(status.Jobs["a"].Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Jobs["a"].Message);
            Assert.That(status.Jobs["a"].Outputs["small"].Dataset, Is.EqualTo(new DatasetValue(notes.Id, true)), "the version the first pass committed");
            Assert.That(datasets.Versions("notes"), Has.Count.EqualTo(1), "not committed twice");
            Assert.That(status.Jobs["a"].Outputs["out"].Dataset, Is.EqualTo(new DatasetValue(datasets.Resolve("disks").Id, true)));
        });
    }

    [TestCase("timeout: 30\n", "the run's timeout of 30 s passed and the job was stopped")]
    [TestCase("", "the job ran longer than its timeout of 30 s and was stopped")]
    public async Task Timeout_PassesWhileADatasetOutputIsCommitted_CommitCutVersionRemovedJobFailedSayingSo(string runTimeout, string why)
    {
        // Before, a timeout did not cut a commit: `timeout: 15` ran on for the 8 minutes a 512 GiB sparse output hashes.
        var yaml = runTimeout + (runTimeout.Length > 0 ? Yaml : Yaml.Replace("    uses: container@v1", "    timeout: 30\n    uses: container@v1", StringComparison.Ordinal));
        var run = await StartHugeSparseOutputAsync(yaml);

        await WaitUntilCommittingOutAsync(run, "the job's message to say its output is being committed");
        _clock.Advance(TimeSpan.FromSeconds(31));
        await WaitUntilEndedAsync(run, "the run to end at its timeout");
        var status = _service.Get("w", run.Status.Run)!.Status;

        Assert.Multiple(() =>
        {
            Assert.That(status.Jobs["a"].Phase, Is.EqualTo(WorkflowPhase.Failed), status.Jobs["a"].Message);
            Assert.That(status.Jobs["a"].Message, Is.EqualTo($"timed out: {why}, while committing dataset output 'out': nothing of it was committed"));
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Failed));
            Assert.That(status.Outputs, Is.Empty);
            Assert.That(Directory.Exists(_datasets.StagingDir) ? Directory.GetDirectories(_datasets.StagingDir) : [], Is.Empty, "the half-made version is removed");
            Assert.That(_datasets.List().Where(d => d.Name == "disks").Sum(d => d.Versions), Is.Zero);
        });
    }

    /// <summary>Starts a run of <paramref name="yaml"/> whose job "a" writes a 512 GiB sparse file to its output 'out' (minutes of hashing on one core).</summary>
    private async Task<RunRecord> StartHugeSparseOutputAsync(string yaml)
    {
        _engine.ExitCodeOf = request =>
        {
            var output = request.Binds.Single(b => b.Target == "/outputs/out").Source;
            using var file = new FileStream(Path.Combine(output, "disk.img"), FileMode.CreateNew, FileAccess.Write);
            file.SetLength(512L << 30);
            return 0;
        };
        return await StartAsync(yaml);
    }

    /// <summary>Waits until job "a" of <paramref name="run"/> says it commits its output 'out'.</summary>
    private Task WaitUntilCommittingOutAsync(RunRecord run, string because) => TestTimeouts.WaitUntilAsync(
        () => Task.FromResult(_service.Get("w", run.Status.Run)!.Status.Jobs["a"].Message?.StartsWith("committing dataset output 'out': ", StringComparison.Ordinal) == true),
        TestTimeouts.Short,
        because);

    /// <summary>Waits until <paramref name="run"/> has ended.</summary>
    private Task WaitUntilEndedAsync(RunRecord run, string because) =>
        TestTimeouts.WaitUntilAsync(() => Task.FromResult(_service.Get("w", run.Status.Run)!.Status.Phase.IsFinished()), TestTimeouts.Short, because);

    private WorkflowService CreateService(DatasetStore datasets) =>
        InMemoryWorkflows.Create(_state, _clock, _engine, InMemoryWorkflows.NoGpus(_engine, _clock, "commit-test"), new WorkflowRunStore(_state), datasets, new JobSecrets(_ => null), "commit-test", fetchers: [_fetcher]);

    /// <summary>
    /// Stops the service (a daemon stop while an output is committed), lets <paramref name="whileStopped"/> look, shrinks
    /// the one staged output's <c>disk.img</c> to 3 bytes so that the next start's commit of it takes no minutes, lets
    /// <paramref name="beforeTheStart"/> act on a new dataset store, and starts a service on that store as the next start of
    /// the daemon does. Returns that store and the staged folders.
    /// </summary>
    private async Task<(DatasetStore Datasets, string[] Staged)> RestartAsync(Action? whileStopped = null, Func<DatasetStore, Task>? beforeTheStart = null)
    {
        await _service.StopAsync(CancellationToken.None);
        _service.Dispose();
        whileStopped?.Invoke();
        var staged = Directory.GetDirectories(_datasets.StagingDir);
        File.WriteAllBytes(Path.Combine(staged.Single(), "content", "disk.img"), [1, 2, 3]);
        var datasets = new DatasetStore(Path.Combine(_state, "datasets"), _clock);
        if (beforeTheStart is not null)
        {
            await beforeTheStart(datasets);
        }

        _service = CreateService(datasets);
        await _service.StartAsync(CancellationToken.None);
        return (datasets, staged);
    }

    private Task<RunRecord> StartAsync(string yaml) => _service.StartRunAsync(TestRunPlans.Build("w", yaml), yaml, null);
}
