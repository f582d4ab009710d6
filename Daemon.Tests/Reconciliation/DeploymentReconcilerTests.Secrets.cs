using GradientNode.Core.Reconciliation;
using GradientNode.Core.Registries;
using GradientNode.Core.Secrets;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

internal sealed partial class DeploymentReconcilerTests
{
    [Test]
    public async Task ReconcileAsync_DeploymentRemovedAndNothingRuns_ForgetsItsSecretSnapshot()
    {
        var clock = new FakeTimeProvider();
        var engine = new ScriptedPullEngine();
        var store = new SecretStore(_state);
        store.Set("pw", "one"u8);
        var snapshots = new SecretSnapshots(store, _state);
        var spec = Protected();
        snapshots.Resolve(spec, "h1");
        var snapshotFile = Path.Combine(_state, "snapshots", spec.Slug + ".json");
        Assert.That(File.Exists(snapshotFile), Is.True);
        var reconciler = WithSnapshots(engine, clock, snapshots);

        var outcome = await reconciler.ReconcileAsync(spec.Slug, null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Status, Is.Null, "the deployment is gone");
            Assert.That(File.Exists(snapshotFile), Is.False, "no plaintext copy outlives the deployment");
        });
    }

    [Test]
    public async Task ReconcileAsync_DeploymentRemovedAndNothingRuns_ForgetsItsRestartCount()
    {
        var spec = Protected();
        var countFile = Path.Combine(_state, "restarts", spec.Slug);
        new RestartGenerations(_state).Bump(spec.Slug);
        Assert.That(File.Exists(countFile), Is.True);
        var reconciler = TestReconcilers.Create(new ScriptedPullEngine(), new FakeTimeProvider(), _state);

        var outcome = await reconciler.ReconcileAsync(spec.Slug, null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Status, Is.Null, "the deployment is gone");
            Assert.That(File.Exists(countFile), Is.False, "nothing of it stays under the state dir");
        });
    }

    [Test]
    public async Task ReconcileAsync_SecretRemovedAfterApply_StatusNamesTheSecret()
    {
        var clock = new FakeTimeProvider();
        var engine = new ScriptedPullEngine();
        var store = new SecretStore(_state);
        store.Set("pw", "one"u8);
        var snapshots = new SecretSnapshots(store, _state);
        var reconciler = WithSnapshots(engine, clock, snapshots);
        var entry = ProtectedEntry();
        // The image is pulled in the background: reconcile again until the replica exists.
        await TestTimeouts.WaitUntilAsync(
            async () => (await reconciler.ReconcileAsync(entry.Slug, entry, CancellationToken.None)).Status?.Pull is null && engine.Created > 0,
            TestTimeouts.Short,
            "the replica to be created once the pull ended");
        Assert.That(engine.Created, Is.EqualTo(1));

        store.Remove("pw");
        var outcome = await reconciler.ReconcileAsync(entry.Slug, entry, CancellationToken.None);

        Assert.That(outcome.Status?.Message, Does.Contain("secret 'pw'"));
        Assert.That(outcome.Status?.State, Is.AnyOf(DeploymentState.Failed, DeploymentState.Degraded));
    }

    private DeploymentReconciler WithSnapshots(ScriptedPullEngine engine, FakeTimeProvider clock, SecretSnapshots snapshots) =>
        TestReconcilers.Create(engine, clock, _state, secrets: new SnapshotSecrets(snapshots), registries: new RegistryStore(_state));

    private static GradientNode.Core.Specs.DeploymentSpec Protected() => ProtectedEntry().Spec!;

    private static GradientNode.Core.Catalog.CatalogEntry ProtectedEntry()
    {
        var spec = GradientNode.Core.Specs.SpecParser.Parse("/specs/locked.yaml", $"""
            name: locked
            image: {Image}
            basicAuthKey: secret:pw
            resources:
              machineType: C4
              ports: [8080]
              replicas: 1
            """).Spec!;
        return new GradientNode.Core.Catalog.CatalogEntry(
            spec.Slug, spec.Name, "/specs/locked.yaml", spec,
            GradientNode.Core.Common.EquatableArray<GradientNode.Core.Specs.SpecError>.Empty,
            GradientNode.Core.Common.EquatableArray<string>.Empty);
    }
}
