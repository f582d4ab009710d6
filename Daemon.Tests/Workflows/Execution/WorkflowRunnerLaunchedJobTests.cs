using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A job the runner has launched stays PENDING in status while it prepares (secrets, folders, image, container).
/// When another job fails meanwhile, the launched one is not marked SKIPPED (it goes on to run, as a running job
/// does): its phase moves only forward, to the end it really had. In-memory engine, the launched job held in its
/// secret lookup until the other job has ended.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class WorkflowRunnerLaunchedJobTests
{
    private const string Yaml = """
        jobs:
          fails:
            env:
              TOKEN: secret:missing
            uses: container@v1
            with:
              image: gradient-test/web:1
          slow:
            env:
              TOKEN: secret:slow
            uses: container@v1
            with:
              image: gradient-test/web:1
          after:
            needs: [slow]
            uses: container@v1
            with:
              image: gradient-test/web:1
        """;

    private readonly ManualResetEventSlim _release = new();
    private string _state = string.Empty;
    private WorkflowService _service = null!;

    [SetUp]
    public async Task SetUp()
    {
        _state = Directory.CreateTempSubdirectory("gn-launched-").FullName;
        var clock = new FakeTimeProvider();
        var engine = new GpuJobEngine();
        var datasets = new DatasetStore(Path.Combine(_state, "datasets"), clock);
        var secrets = new JobSecrets(name => name == "slow" && _release.Wait(TestTimeouts.Short) ? "value" : null);
        _service = InMemoryWorkflows.Create(_state, clock, engine, InMemoryWorkflows.NoGpus(engine, clock, "launched-test"), new WorkflowRunStore(_state), datasets, secrets, "launched-test");
        await _service.StartAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown()
    {
        _release.Set();
        await _service.StopAsync(CancellationToken.None);
        _service.Dispose();
        _release.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    [Test]
    public async Task Run_JobFailsWhileAnotherIsLaunched_TheLaunchedOneIsNotSkippedAndEndsAsItRan()
    {
        var plan = TestRunPlans.Build("w", Yaml);
        var run = await _service.StartRunAsync(plan, Yaml, null);
        JobStatus Job(string id) => _service.Get("w", run.Status.Run)!.Status.Jobs[id];

        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(Job("fails").Phase == WorkflowPhase.Error), TestTimeouts.Short, "the first job to end");
        // The runner's pass after that end used to skip the launched job; it stays Pending while it prepares.
        await TestTimeouts.AssertStaysAsync(() => Job("slow").Phase == WorkflowPhase.Pending, TimeSpan.FromMilliseconds(300), "launched, not skipped");
        _release.Set();
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_service.Get("w", run.Status.Run)!.Status.Phase.IsFinished()), TestTimeouts.Short, "the run to end");
        var status = _service.Get("w", run.Status.Run)!.Status;

        Assert.Multiple(() =>
        {
            Assert.That(status.Jobs["slow"].Phase, Is.EqualTo(WorkflowPhase.Succeeded), status.Jobs["slow"].Message);
            Assert.That(status.Jobs["after"].Phase, Is.EqualTo(WorkflowPhase.Skipped));
            Assert.That(status.Jobs["after"].Message, Is.EqualTo("the run failed (fails ended ERROR) before this job could start"));
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Error));
        });
    }
}
