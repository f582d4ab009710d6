using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A run's and a job's timeouts count on the monotonic clock: a step of the wall clock (NTP, a VM resumed) neither stops a
/// running job at once nor lets it run past its timeout. Before, each check compared the stored start time with the wall
/// clock: a step forward of two hours ended a job of 60 s "timed out" at once, a step back let it run two more hours.
/// In-memory engine (the job's container runs until stopped), a clock whose wall time steps apart from its monotonic time.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class WorkflowRunnerClockTests
{
    private string _state = string.Empty;
    private SteppingTimeProvider _clock = null!;
    private GpuJobEngine _engine = null!;
    private TimeSpan _advanced;
    private WorkflowService _service = null!;

    [SetUp]
    public async Task SetUp()
    {
        _state = Directory.CreateTempSubdirectory("gn-wfclock-").FullName;
        _clock = new SteppingTimeProvider();
        _engine = new GpuJobEngine { RunUntilStopped = true };
        var datasets = new DatasetStore(Path.Combine(_state, "datasets"), _clock);
        _service = InMemoryWorkflows.Create(_state, _clock, _engine, InMemoryWorkflows.NoGpus(_engine, _clock, "clock-test"), new WorkflowRunStore(_state), datasets, new JobSecrets(_ => null), "clock-test");
        await _service.StartAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _service.StopAsync(CancellationToken.None);
        _service.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    [TestCase(2, "jobs:\n  a:\n    timeout: 60\n    uses: container@v1\n    with: {image: gradient-test/web:1}\n", "timed out: the job ran longer than its timeout of 60 s and was stopped")]
    [TestCase(2, "timeout: 60\njobs:\n  a:\n    uses: container@v1\n    with: {image: gradient-test/web:1}\n", "timed out: the run's timeout of 60 s passed and the job was stopped")]
    [TestCase(-2, "jobs:\n  a:\n    timeout: 60\n    uses: container@v1\n    with: {image: gradient-test/web:1}\n", "timed out: the job ran longer than its timeout of 60 s and was stopped")]
    public async Task Run_WallClockStepsWhileTheJobRuns_StoppedWhenItsTimeoutPassedNotBeforeNorAfter(int hours, string yaml, string message)
    {
        var plan = TestRunPlans.Build("w", yaml);
        var run = await _service.StartRunAsync(plan, yaml, null);
        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(Job(run).Phase == WorkflowPhase.Running), TestTimeouts.Short, "the job to run");
        _advanced = TimeSpan.Zero;

        _clock.Step(TimeSpan.FromHours(hours));
        await PassAsync(TimeSpan.FromSeconds(50)); // polls and passes run: 50 s of the 60 passed
        var after50 = Job(run);
        await TestTimeouts.WaitUntilAsync(
            async () =>
            {
                await PassAsync(TimeSpan.FromSeconds(1));
                return Job(run).Phase.IsFinished();
            },
            TestTimeouts.Short,
            "the job to be stopped at its timeout");

        Assert.Multiple(() =>
        {
            Assert.That(after50.Phase, Is.EqualTo(WorkflowPhase.Running), "50 s into a timeout of 60 s, whatever the wall clock says");
            Assert.That(Job(run).Phase, Is.EqualTo(WorkflowPhase.Failed));
            Assert.That(Job(run).Message, Is.EqualTo(message));
            Assert.That(_advanced, Is.LessThan(TimeSpan.FromMinutes(2)), "stopped about 60 s (of the fake clock) after it started, not hours");
        });
    }

    private JobStatus Job(RunRecord run) => _service.Get("w", run.Status.Run)!.Status.Jobs["a"];

    /// <summary>
    /// Lets <paramref name="span"/> pass a second at a time on the fake clock. Between steps the runner's loops get a moment
    /// of real time to act on it (a check that something does not happen has no condition to wait for).
    /// </summary>
    private async Task PassAsync(TimeSpan span)
    {
        for (var passed = TimeSpan.Zero; passed < span; passed += TimeSpan.FromSeconds(1))
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            _advanced += TimeSpan.FromSeconds(1);
            await TestTimeouts.HoldAsync("the runner's loops act on the step of the fake clock", TimeSpan.FromMilliseconds(5));
        }
    }
}
