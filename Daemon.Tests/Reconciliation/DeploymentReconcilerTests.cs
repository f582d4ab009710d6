using GradientNode.Core.Catalog;
using GradientNode.Core.Common;
using GradientNode.Core.Engine;
using GradientNode.Core.Reconciliation;
using GradientNode.Core.Registries;
using GradientNode.Core.Secrets;
using GradientNode.Core.Specs;
using GradientNode.Core.Status;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed partial class DeploymentReconcilerTests
{
    private const string Image = "registry.example:5000/ns/hello:1";
    private string _state = string.Empty;

    [SetUp]
    public void SetUp() => _state = Directory.CreateTempSubdirectory("gn-reconciler-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_state, recursive: true);

    [TestCase(true, TestName = "ReconcileAsync_ImagePulledWithStoredSecrets_ReturnsWhilePullingWithProgressThenCreates")]
    [TestCase(false, TestName = "ReconcileAsync_ImagePulledWithoutSecrets_ReturnsWhilePullingWithProgressThenCreates")]
    public async Task ReconcileAsync_ImagePulled_ReturnsWhilePullingWithProgressThenCreates(bool withSecrets)
    {
        var clock = new FakeTimeProvider();
        var engine = new ScriptedPullEngine { PullGate = new TaskCompletionSource() };
        engine.Script.Add((null, new PullProgress("Pulling from ns/hello", "1", null, null)));
        engine.Script.Add((null, new PullProgress("Already exists", "base", null, null)));
        engine.Script.Add((null, new PullProgress("Downloading", "a", 2_000_000, 4_000_000)));
        var journal = new ReplicaJournal();
        var reconciler = Reconciler(engine, clock, journal, withSecrets);
        await reconciler.ReconcileAsync("hello", Entry(), CancellationToken.None);
        await engine.PullStarted.Task.WaitAsync(TestTimeouts.Short);

        var pulling = await reconciler.ReconcileAsync("hello", Entry(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(pulling.Status?.State, Is.EqualTo(DeploymentState.Progressing));
            Assert.That(pulling.Status?.Message, Is.EqualTo($"0/1 replicas ready; pulling {Image} 2.0 MB of 4.0 MB (1/2 layers)"));
            Assert.That(pulling.RecheckAfter, Is.Not.Null, "looked at again while the pull runs");
            Assert.That(engine.Created, Is.Zero, "no replica before its image");
            Assert.That(journal.History("hello-0").Select(e => e.State), Does.Contain("pulling"));
        });

        engine.PullGate.SetResult();
        await TestTimeouts.WaitUntilAsync(
            async () => (await reconciler.ReconcileAsync("hello", Entry(), CancellationToken.None)).Status?.Pull is null && engine.Created > 0,
            TestTimeouts.Short,
            "the replica to be created once the pull ended");
        Assert.That(engine.PullAuths, Has.Count.EqualTo(1), "one pull for all those reconciles");
    }

    [Test]
    public async Task ReconcileAsync_DeletedWhilePulling_CompletesWithoutWaitingForThePull()
    {
        var engine = new ScriptedPullEngine { PullGate = new TaskCompletionSource() };
        var reconciler = Reconciler(engine, new FakeTimeProvider(), new ReplicaJournal(), withSecrets: true);
        var first = await reconciler.ReconcileAsync("hello", Entry(), CancellationToken.None).WaitAsync(TestTimeouts.Short);
        await engine.PullStarted.Task.WaitAsync(TestTimeouts.Short);

        var deleted = await reconciler.ReconcileAsync("hello", null, CancellationToken.None).WaitAsync(TestTimeouts.Short);

        Assert.That(first.Status?.Pull, Is.Not.Null, "the first reconcile returned while its pull runs");
        Assert.That(deleted.Status, Is.Null, "the deletion went through while the pull still hangs");
        Assert.That(engine.PullGate.Task.IsCompleted, Is.False);
    }

    [Test]
    public async Task ReconcileAsync_InstanceAboveTheCountWithNoContainer_ForgottenAndTheOthersKept()
    {
        var engine = new ScriptedPullEngine();
        engine.AddImage(Image);
        var journal = new ReplicaJournal();
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        journal.Record("hello-0", "running", null, at);
        journal.Record("hello-5", "running", null, at); // its container removed by hand, or scaled down while the daemon was down
        journal.Record("other-0", "running", null, at);
        var reconciler = Reconciler(engine, new FakeTimeProvider(), journal, withSecrets: false);

        await reconciler.ReconcileAsync("hello", Entry(), CancellationToken.None);

        // Before: every instance of a deployment that still exists stayed in replica-states.json for good.
        Assert.Multiple(() =>
        {
            Assert.That(journal.History("hello-5"), Is.Empty);
            Assert.That(journal.History("hello-0"), Is.Not.Empty, "replica 0 is asked for: its history goes on with its next container");
            Assert.That(journal.History("other-0"), Is.Not.Empty, "another deployment's");
        });
    }

    [Test]
    public async Task ReconcileAsync_ReplicaCreatedFromALocalImage_ImageInspectedOnceForThePresenceAndLabelChecks()
    {
        var engine = new ScriptedPullEngine();
        engine.AddImage(Image);
        var reconciler = Reconciler(engine, new FakeTimeProvider(), new ReplicaJournal(), withSecrets: false);

        await reconciler.ReconcileAsync("hello", Entry(), CancellationToken.None);

        // Before: the puller's presence check and the create's label check (NodeLabelsGuard) each inspected the image.
        Assert.Multiple(() =>
        {
            Assert.That(engine.Created, Is.EqualTo(1));
            Assert.That(engine.ImageInspects, Is.EqualTo(1), "one image inspect per replica create");
            Assert.That(engine.Requests.Single().InspectedImage?.Id, Is.EqualTo(Image), "the create got the image the presence check found");
        });
    }

    [TestCase("enabled: true\n", "0", "deployment scaled to 0 (resources.replicas: 0)")]
    [TestCase("", "0", "deployment scaled to 0 (resources.replicas: 0)")]
    [TestCase("enabled: false\n", "2", "deployment disabled (enabled: false)")]
    [TestCase("enabled: false\n", "0", "deployment disabled (enabled: false)")]
    public async Task ReconcileAsync_RunsNoReplicaOnPurpose_DisabledSayingWhetherSwitchedOffOrScaledToZero(string enabled, string replicas, string expected)
    {
        // known18: a deployment scaled to 0 (enabled: true) read "deployment disabled (replicas: 0)" in ls, get and the console.
        var spec = SpecParser.Parse("/specs/hello.yaml", $"name: hello\n{enabled}image: {Image}\nresources:\n  machineType: C4\n  ports: [8080]\n  replicas: {replicas}\n").Spec!;
        var entry = new CatalogEntry(spec.Slug, spec.Name, "/specs/hello.yaml", spec, EquatableArray<SpecError>.Empty, EquatableArray<string>.Empty);
        var reconciler = Reconciler(new ScriptedPullEngine(), new FakeTimeProvider(), new ReplicaJournal(), withSecrets: false);

        var status = (await reconciler.ReconcileAsync("hello", entry, CancellationToken.None)).Status;

        Assert.Multiple(() =>
        {
            Assert.That(status?.State, Is.EqualTo(DeploymentState.Disabled));
            Assert.That(status?.Message, Is.EqualTo(expected));
        });
    }

    private DeploymentReconciler Reconciler(GradientNode.Core.Engine.IContainerEngine engine, TimeProvider clock, ReplicaJournal journal, bool withSecrets) =>
        withSecrets
            ? TestReconcilers.Create(engine, clock, _state, journal, TestReconcilers.Snapshots(_state), new RegistryStore(_state))
            : TestReconcilers.Create(engine, clock, _state, journal);

    private static CatalogEntry Entry()
    {
        var spec = SpecParser.Parse("/specs/hello.yaml", $"""
            name: hello
            image: {Image}
            resources:
              machineType: C4
              ports: [8080]
              replicas: 1
            """).Spec!;
        return new CatalogEntry(spec.Slug, spec.Name, "/specs/hello.yaml", spec, EquatableArray<SpecError>.Empty, EquatableArray<string>.Empty);
    }
}
