using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>The replica journal (<c>replica-states.json</c>) forgets what the reconcile passes find gone.</summary>
internal sealed partial class ReconcilerServiceTests
{
    [Test]
    public async Task ExecuteAsync_JournalRemembersADeploymentWithNoSpecNorContainer_ItsEntriesForgotten()
    {
        // A deployment deleted while the daemon was down, its containers removed too: only replica-states.json names it.
        var clock = new FakeTimeProvider();
        var engine = new ScriptedPullEngine();
        engine.AddImage(Image);
        var journal = new ReplicaJournal();
        journal.Record("gone-0", "running", null, clock.GetUtcNow());
        journal.Record("gone-1", "failed", "exited with code 1", clock.GetUtcNow());
        var (service, _) = Service(engine, clock, journal: journal);
        await WhileRunningAsync(service, async () =>
        {
            await service.FirstPass.WaitAsync(TestTimeouts.Short);

            // Before: no spec, status or container named it, so no pass ever looked at it and its entries stayed for good.
            Assert.Multiple(() =>
            {
                Assert.That(journal.History("gone-0"), Is.Empty);
                Assert.That(journal.History("gone-1"), Is.Empty);
            });
        });
    }
}
