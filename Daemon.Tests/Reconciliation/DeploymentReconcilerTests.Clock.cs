using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>The progress deadline counts on the monotonic clock: a step of the wall clock does not fail a version that is still starting.</summary>
internal sealed partial class DeploymentReconcilerTests
{
    [Test]
    public async Task ReconcileAsync_WallClockStepsForwardAnHourWhileTheFirstReplicaStarts_NotPastTheProgressDeadline()
    {
        // Before: the first version's wait began at a wall-clock instant, so a step forward past --progress-deadline (10 min)
        // said "no replica became ready within the progress deadline" a second after the replica was made.
        var clock = new SteppingTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var engine = new GradientNode.Tests.Workflows.Execution.GpuJobEngine { RunUntilStopped = true }; // its replica runs, with no address: never ready
        var reconciler = Reconciler(engine, clock, new ReplicaJournal(), withSecrets: false);
        var first = await reconciler.ReconcileAsync("hello", Entry(), CancellationToken.None);

        clock.Step(TimeSpan.FromHours(1));
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = await reconciler.ReconcileAsync("hello", Entry(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(engine.Created, Has.Count.EqualTo(1), "one replica, left running");
            Assert.That(first.Status?.ReadyReplicas, Is.Zero, "the replica is not ready yet");
            Assert.That(second.Status?.ReadyReplicas, Is.Zero);
            Assert.That(second.Status?.Message, Does.Not.Contain("progress deadline"));
            Assert.That(second.Status?.State, Is.Not.EqualTo(DeploymentState.Failed));
        });
    }
}
