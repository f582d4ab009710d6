using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A run whose record the state directory refuses (a full disk; here <c>run.json</c> is a folder, so the atomic rename
/// over it fails as a write does on a full disk): a cancel still stops its job and the run ends, and the record is saved
/// once the state directory takes it again. In-memory engine (the job runs until it is stopped), real run store.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class WorkflowRunnerUnsavedRecordTests
{
    private const string Yaml = """
        jobs:
          a:
            uses: container@v1
            with:
              image: gradient-test/web:1
        """;

    [Test]
    public async Task Cancel_RecordCannotBeSaved_StopsTheJobAndSavesTheEndOnceItCan()
    {
        var state = Directory.CreateTempSubdirectory("gn-unsaved-").FullName;
        var clock = new FakeTimeProvider();
        var engine = new GpuJobEngine { RunUntilStopped = true };
        var store = new WorkflowRunStore(state);
        using var service = InMemoryWorkflows.Create(state, clock, engine, InMemoryWorkflows.NoGpus(engine, clock, "unsaved-test"), store, new DatasetStore(Path.Combine(state, "datasets"), clock), new JobSecrets(_ => null), "unsaved-test");
        await service.StartAsync(CancellationToken.None);
        try
        {
            var plan = TestRunPlans.Build("w", Yaml);
            var run = (await service.StartRunAsync(plan, Yaml, null)).Status.Run;
            await TestTimeouts.WaitUntilAsync(() => Task.FromResult(service.Get("w", run)!.Status.Jobs["a"].Phase == WorkflowPhase.Running), TestTimeouts.Short, "the job to run");
            var record = Path.Combine(store.RunDir("w", run), "run.json");
            File.Delete(record);
            Directory.CreateDirectory(record);

            // Before: the cancel threw the save's IOException and the job ran on.
            Assert.That(() => service.Cancel("w", run), Throws.Nothing);
            await TestTimeouts.WaitUntilAsync(
                () =>
                {
                    clock.Advance(TimeSpan.FromMilliseconds(100));
                    return Task.FromResult(engine.Containers.IsEmpty);
                },
                TestTimeouts.Short,
                "the job's container to be stopped and removed");
            Assert.That(service.Get("w", run)!.Status.Phase, Is.EqualTo(WorkflowPhase.Canceled), "the status in memory while the record waits");

            Directory.Delete(record);
            await TestTimeouts.WaitUntilAsync(
                () =>
                {
                    clock.Advance(TimeSpan.FromSeconds(1));
                    return Task.FromResult(store.Get("w", run)?.Status.Phase == WorkflowPhase.Canceled);
                },
                TestTimeouts.Short,
                "the end to be saved once the state directory takes it");
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
            Directory.Delete(state, recursive: true);
        }
    }
}
