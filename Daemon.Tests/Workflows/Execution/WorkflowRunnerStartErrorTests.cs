using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A run whose workflow inputs cannot be resolved (a dataset that does not exist) ends ERROR before any job starts:
/// its jobs end SKIPPED with the reason, never left PENDING in a finished run. In-memory engine, real dataset store.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class WorkflowRunnerStartErrorTests
{
    private const string Yaml = """
        inputs:
          data:
            type: dataset
            with:
              ref: nosuch
        jobs:
          first:
            uses: container@v1
            inputs:
              data: workflow.inputs.data
            with:
              image: gradient-test/web:1
          second:
            needs: [first]
            uses: container@v1
            with:
              image: gradient-test/web:1
        """;

    private string _state = string.Empty;
    private WorkflowService _service = null!;

    [SetUp]
    public async Task SetUp()
    {
        _state = Directory.CreateTempSubdirectory("gn-start-error-").FullName;
        var clock = new FakeTimeProvider();
        var engine = new GpuJobEngine();
        var datasets = new DatasetStore(Path.Combine(_state, "datasets"), clock);
        _service = InMemoryWorkflows.Create(_state, clock, engine, InMemoryWorkflows.NoGpus(engine, clock, "start-error-test"), new WorkflowRunStore(_state), datasets, new JobSecrets(_ => null), "start-error-test");
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
    public async Task Run_DatasetInputDoesNotExist_RunErrorsAndEveryJobEndsSkippedWithTheReason()
    {
        var plan = TestRunPlans.Build("w", Yaml);
        var run = await _service.StartRunAsync(plan, Yaml, null);

        await TestTimeouts.WaitUntilAsync(() => Task.FromResult(_service.Get("w", run.Status.Run)!.Status.Phase.IsFinished()), TestTimeouts.Short, "the run to end");
        var status = _service.Get("w", run.Status.Run)!.Status;

        Assert.Multiple(() =>
        {
            Assert.That(status.Phase, Is.EqualTo(WorkflowPhase.Error));
            Assert.That(status.Message, Does.Contain("nosuch"));
            foreach (var (id, job) in status.Jobs)
            {
                Assert.That(job.Phase, Is.EqualTo(WorkflowPhase.Skipped), id);
                Assert.That(job.Message, Does.StartWith("the run could not start: ").And.Contain("nosuch"), id);
                Assert.That(job.Finished, Is.Not.Null, id);
            }
        });
    }
}
