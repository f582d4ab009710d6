using GradientNode.Core.Reconciliation;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using static GradientNode.Tests.Reconciliation.ReconcilerTestData;

namespace GradientNode.Tests.Reconciliation;

/// <summary>A replica that ignores SIGTERM: its stop takes the whole grace and ends in SIGKILL.</summary>
internal sealed partial class PlanExecutorTests
{
    [Test]
    public async Task ExecuteAsync_LeavingReplicaIgnoresSigterm_KilledAfterTheGraceAndTheLogSaysSo()
    {
        // Before: the stop waited the grace and killed it, and the log said only "removed replica 0".
        var logger = new CollectingLogger<PlanExecutor>();
        var options = new ReconcilerOptions();
        var executor = new PlanExecutor(_engine, NoHooks.Instance, NoHooks.Instance, _journal, options, _clock, logger);
        var stubborn = Replica(0, "old") with { Ready = false };
        var polite = Replica(1, "old") with { Ready = false };
        _engine.OnStop = grace => _clock.Advance(_engine.Stopped.Count == 1 ? grace : TimeSpan.FromSeconds(1));

        await executor.ExecuteAsync("web", null, string.Empty, Plan(new RemoveReplica(stubborn, "deployment removed")), Preparation.None, _clock.GetUtcNow(), CancellationToken.None).WaitAsync(TestTimeouts.Short);
        await executor.ExecuteAsync("web", null, string.Empty, Plan(new RemoveReplica(polite, "deployment removed")), Preparation.None, _clock.GetUtcNow(), CancellationToken.None).WaitAsync(TestTimeouts.Short);

        var kills = logger.Events.Where(e => e.Id.Id == 1013).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(kills, Has.Count.EqualTo(1), "only the one that took the whole grace");
            Assert.That(kills[0].Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(kills[0].Message, Is.EqualTo($"web: replica 0 ({stubborn.ContainerName}) did not exit within 10 s of SIGTERM and was killed (SIGKILL): its requests and work in progress were cut; make the app exit on SIGTERM"));
        });
    }
}
