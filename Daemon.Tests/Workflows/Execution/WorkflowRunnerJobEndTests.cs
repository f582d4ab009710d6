using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// How a job's end is recorded. A job whose dataset output holds a file name no download could carry (a newline) ends
/// FAILED, the job's doing as a bad string output is, not ERROR (the node's doing), and the run ends FAILED naming it;
/// nothing is committed. A job that ends before it started (an unknown secret) has no <c>started</c> time, so a client
/// never shows it as having run. In-memory engine (the "container" writes the file when it is created), real dataset store.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class WorkflowRunnerJobEndTests
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

    private string _state = string.Empty;
    private DatasetStore _datasets = null!;
    private GpuJobEngine _engine = null!;
    private WorkflowService _service = null!;

    [SetUp]
    public async Task SetUp()
    {
        _state = Directory.CreateTempSubdirectory("gn-output-name-").FullName;
        var clock = new FakeTimeProvider();
        _engine = new GpuJobEngine();
        _datasets = new DatasetStore(Path.Combine(_state, "datasets"), clock);
        _service = InMemoryWorkflows.Create(_state, clock, _engine, InMemoryWorkflows.NoGpus(_engine, clock, "output-name-test"), new WorkflowRunStore(_state), _datasets, new JobSecrets(_ => null), "output-name-test");
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
    public async Task Run_DatasetOutputFileNameHasANewline_JobAndRunEndFailedNamingTheFile()
    {
        _engine.ExitCodeOf = request =>
        {
            var output = request.Binds.Single(b => b.Target == "/outputs/out").Source;
            File.WriteAllText(Path.Combine(output, "new\nline.txt"), "x");
            return 0;
        };
        var plan = TestRunPlans.Build("w", Yaml);
        var run = await _service.StartRunAsync(plan, Yaml, null);

        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_service.Get("w", run.Status.Run)!.Status.Phase.IsFinished()), TestTimeouts.Short, "the run to end");
        var status = _service.Get("w", run.Status.Run)!.Status;

        const string Why = "dataset output 'out' (dataset 'named') could not be committed: 'new?line.txt' has a control character in its name (shown as ?, e.g. a newline), which no download could carry: rename it; nothing was committed";
        Assert.Multiple(() =>
        {
            Assert.That(status.Jobs["a"].Phase, Is.EqualTo(WorkflowPhase.Failed), status.Jobs["a"].Message);
            Assert.That(status.Jobs["a"].Message, Is.EqualTo(Why));
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Failed));
            Assert.That(status.Message, Does.Contain(Why));
            Assert.That(status.Outputs, Is.Empty, "nothing was committed");
            Assert.That(status.Jobs["a"].Started, Is.Not.Null, "it ran");
        });
    }

    [Test]
    public async Task Run_JobEndsErrorBeforeItStarts_NoStartedTimeRecorded()
    {
        const string SecretYaml = """
            jobs:
              a:
                uses: container@v1
                env:
                  TOKEN: secret:nope
                with:
                  image: gradient-test/web:1
            """;
        var plan = TestRunPlans.Build("s", SecretYaml);
        var run = await _service.StartRunAsync(plan, SecretYaml, null);

        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_service.Get("s", run.Status.Run)!.Status.Phase.IsFinished()), TestTimeouts.Short, "the run to end");
        var job = _service.Get("s", run.Status.Run)!.Status.Jobs["a"];

        Assert.Multiple(() =>
        {
            Assert.That(job.Phase, Is.EqualTo(WorkflowPhase.Error), job.Message);
            Assert.That(job.Message, Does.Contain("secret 'nope' does not exist"));
            Assert.That(job.Started, Is.Null, "it never started (before: the time it ended)");
            Assert.That(job.Finished, Is.Not.Null);
            Assert.That(_engine.Created, Is.Empty, "no container was made");
        });
    }

    [Test]
    public async Task Run_NodeActionWhoseCredentialSecretDoesNotExist_EndsErrorWithNoStartedTime()
    {
        // Before: the job was marked RUNNING (with a start time, so `workflows run --wait` printed "s3: RUNNING") and only
        // then failed resolving its secret-access-key, unlike a container job whose env secret is missing.
        const string S3Yaml = """
            jobs:
              s3:
                uses: s3-download@v1
                outputs:
                  weights:
                    type: volume
                with:
                  url: s3://bucket/prefix
                  endpoint: http://127.0.0.1:9
                  access-key: KEY
                  secret-access-key: secret:nope
            """;
        var plan = TestRunPlans.Build("s3", S3Yaml);
        var run = await _service.StartRunAsync(plan, S3Yaml, null);

        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_service.Get("s3", run.Status.Run)!.Status.Phase.IsFinished()), TestTimeouts.Short, "the run to end");
        var job = _service.Get("s3", run.Status.Run)!.Status.Jobs["s3"];

        Assert.Multiple(() =>
        {
            Assert.That(job.Phase, Is.EqualTo(WorkflowPhase.Error), job.Message);
            Assert.That(job.Message, Is.EqualTo("jobs.s3.with.secret-access-key: secret 'nope' does not exist on this node (add it: gradient-node secrets set nope)"));
            Assert.That(job.Started, Is.Null, "it never started");
        });
    }
}
