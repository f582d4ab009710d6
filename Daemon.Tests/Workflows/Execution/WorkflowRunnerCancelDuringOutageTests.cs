using GradientNode.Core.Datasets;
using GradientNode.Core.Workflows.Execution;
using GradientNode.Core.Workflows.Runs;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Workflows.Execution;

/// <summary>
/// A cancel made while the Docker engine does not answer: the run and its job say the signal is pending, not sent, until
/// the engine is back; then that SIGTERM was sent; then CANCELED. Before, they said "running jobs were sent SIGTERM" from
/// the moment of the cancel. In-memory engine (the job runs until it is stopped; its stop held open), real run store.
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class WorkflowRunnerCancelDuringOutageTests
{
    private const string Yaml = """
        jobs:
          a:
            uses: container@v1
            with:
              image: gradient-test/web:1
        """;

    [Test]
    public async Task Cancel_EngineAway_SaysPendingUntilItAnswersThenSentThenCanceled()
    {
        var state = Directory.CreateTempSubdirectory("gn-cancel-outage-").FullName;
        var clock = new FakeTimeProvider();
        var engine = new GpuJobEngine { RunUntilStopped = true, StopGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var store = new WorkflowRunStore(state);
        using var service = InMemoryWorkflows.Create(state, clock, engine, InMemoryWorkflows.NoGpus(engine, clock, "outage-test"), store, new DatasetStore(Path.Combine(state, "datasets"), clock), new JobSecrets(_ => null), "outage-test");
        await service.StartAsync(CancellationToken.None);
        try
        {
            var plan = TestRunPlans.Build("w", Yaml);
            var run = (await service.StartRunAsync(plan, Yaml, null)).Status.Run;
            await TestTimeouts.WaitUntilAsync(() => Task.FromResult(service.Get("w", run)!.Status.Jobs["a"].Phase == WorkflowPhase.Running), TestTimeouts.Short, "the job to run");
            engine.UnreachableInspections = int.MaxValue; // dockerd away

            service.Cancel("w", run);
            var asked = service.Get("w", run)!.Status;
            await WaitAsync(clock, () => service.Get("w", run)!.Status.Jobs["a"].Message == ContainerJobExecutor.CancelPending, "the job to say its SIGTERM is pending");
            var pending = store.Get("w", run)!.Status;
            var stillRunning = engine.Containers.Values.Single().State.Running;

            engine.UnreachableInspections = 0; // dockerd back
            await WaitAsync(clock, () => service.Get("w", run)!.Status.Jobs["a"].Message == ContainerJobExecutor.CancelSent, "the job to say SIGTERM was sent");
            var sent = service.Get("w", run)!.Status;
            engine.StopGate.SetResult();
            await WaitAsync(clock, () => service.Get("w", run)!.Status.Phase == WorkflowPhase.Canceled, "the run to end CANCELED");

            Assert.Multiple(() =>
            {
                Assert.That(asked.Message, Is.EqualTo(WorkflowRunner.Canceling).Or.EqualTo(ContainerJobExecutor.CancelPending));
                Assert.That(asked.Message, Does.Not.Contain("were sent"));
                Assert.That(pending.Phase, Is.EqualTo(WorkflowPhase.Running));
                Assert.That(pending.Message, Is.EqualTo(ContainerJobExecutor.CancelPending), "saved, so a restart or another client reads it too");
                Assert.That(pending.Jobs["a"].Message, Is.EqualTo(ContainerJobExecutor.CancelPending));
                Assert.That(stillRunning, Is.True, "nothing was sent to the container while the engine was away");
                Assert.That(sent.Message, Is.EqualTo(WorkflowRunner.CancelSent));
                Assert.That(sent.Jobs["a"].Phase, Is.EqualTo(WorkflowPhase.Running), "in its grace period");
                Assert.That(service.Get("w", run)!.Status.Jobs["a"].Message, Is.EqualTo("canceled: stopped on SIGTERM"));
            });
        }
        finally
        {
            engine.StopGate.TrySetResult();
            await service.StopAsync(CancellationToken.None);
            Directory.Delete(state, recursive: true);
        }
    }

    private static Task WaitAsync(FakeTimeProvider clock, Func<bool> condition, string what) =>
        TestTimeouts.WaitUntilAsync(
            () =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(100));
                return Task.FromResult(condition());
            },
            TestTimeouts.Short,
            what);
}
