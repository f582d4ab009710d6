using GradientNode.Core.Catalog;
using GradientNode.Core.Reconciliation;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

/// <summary>Idle cost: a resync reconciles (observes, rebuilds the status of) only the deployments that may have changed.</summary>
[TestFixture]
[Category("Unit")]
internal sealed class ResyncFilterTests
{
    private static readonly CatalogEntry? NoEntry = null;

    [Test]
    public void Select_SettledAndUnchanged_SkippedUntilTheNextFullResync()
    {
        var filter = new ResyncFilter(fullEvery: 4);
        var current = Current(("web", "c1:running"), ("api", "c2:running"));

        Assert.That(filter.Select(current), Is.EquivalentTo(new[] { "web", "api" }), "the first resync is full");
        filter.Reconciled("web", settled: true);
        filter.Reconciled("api", settled: true);
        var skipped = new[] { filter.Select(current), filter.Select(current), filter.Select(current) };

        Assert.Multiple(() =>
        {
            Assert.That(skipped, Has.All.Empty, "50 idle deployments cost no reconcile, no status rebuild");
            Assert.That(filter.Select(current), Is.EquivalentTo(new[] { "web", "api" }), "every 4th resync is full");
        });
    }

    [Test]
    public void Select_SettledWithoutContainers_SkippedByTheFullResyncToo()
    {
        // 2,000 disabled deployments cost 2,000 engine calls a minute when the full resync took them too.
        var filter = new ResyncFilter(fullEvery: 2);
        var current = Current(("off", string.Empty), ("web", "c1:running"));
        filter.Select(current);
        filter.Reconciled("off", settled: true);
        filter.Reconciled("web", settled: true);

        Assert.Multiple(() =>
        {
            Assert.That(filter.Select(current), Is.Empty, "a quiet resync");
            Assert.That(filter.Select(current), Is.EqualTo(new[] { "web" }), "the full resync observes replicas, and skips a deployment with none");
            Assert.That(filter.Select(Current(("off", "c9:running"), ("web", "c1:running"))), Is.EqualTo(new[] { "off" }), "a container that appears is seen at once");
            Assert.That(filter.Select(current, full: true), Is.EquivalentTo(new[] { "off", "web" }), "a forced resync takes every one");
        });
    }

    [Test]
    public void Select_NotSettledWithoutContainers_ReconciledByEveryResync()
    {
        var filter = new ResyncFilter(fullEvery: 2);
        var current = Current(("failing", string.Empty));
        filter.Select(current);
        filter.Reconciled("failing", settled: false);

        Assert.That(new[] { filter.Select(current), filter.Select(current) }, Has.All.EqualTo(new[] { "failing" }));
    }

    [Test]
    public void Select_ContainerStateChanged_Reconciled()
    {
        var filter = new ResyncFilter(fullEvery: 100);
        filter.Select(Current(("web", "c1:running"), ("api", "c2:running")));
        filter.Reconciled("web", settled: true);
        filter.Reconciled("api", settled: true);

        Assert.That(filter.Select(Current(("web", "c1:exited"), ("api", "c2:running"))), Is.EqualTo(new[] { "web" }));
    }

    [Test]
    public void Select_LastReconcileNotSettled_Reconciled()
    {
        var filter = new ResyncFilter(fullEvery: 100);
        var current = Current(("web", "c1:running"));
        filter.Select(current);
        filter.Reconciled("web", settled: false);

        Assert.That(filter.Select(current), Is.EqualTo(new[] { "web" }));
    }

    [Test]
    public void Select_Forced_ReconcilesAll()
    {
        var filter = new ResyncFilter(fullEvery: 100);
        var current = Current(("web", "c1:running"));
        filter.Select(current);
        filter.Reconciled("web", settled: true);

        Assert.That(filter.Select(current, full: true), Is.EqualTo(new[] { "web" }));
    }

    [Test]
    public void Select_NewDeployment_Reconciled()
    {
        var filter = new ResyncFilter(fullEvery: 100);
        filter.Select(Current(("web", "c1:running")));
        filter.Reconciled("web", settled: true);

        Assert.That(filter.Select(Current(("web", "c1:running"), ("new", string.Empty))), Is.EqualTo(new[] { "new" }));
    }

    private static Dictionary<string, (CatalogEntry? Entry, string Containers)> Current(params (string Slug, string Containers)[] deployments) =>
        deployments.ToDictionary(d => d.Slug, d => (NoEntry, d.Containers), StringComparer.Ordinal);
}
