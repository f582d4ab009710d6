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

    [TestCase(true, TestName = "ReconcileAsync_ImagePulledWithStoredSecrets_PublishesPullProgressThenClearsIt")]
    [TestCase(false, TestName = "ReconcileAsync_ImagePulledWithoutSecrets_PublishesPullProgressThenClearsIt")]
    public async Task ReconcileAsync_ImagePulled_PublishesPullProgressThenClearsIt(bool withSecrets)
    {
        var clock = new FakeTimeProvider();
        var engine = new ScriptedPullEngine();
        var tick = () => clock.Advance(TimeSpan.FromMilliseconds(300));
        engine.Script.Add((null, new PullProgress("Pulling from ns/hello", "1", null, null)));
        engine.Script.Add((null, new PullProgress("Already exists", "base", null, null)));
        engine.Script.Add((tick, new PullProgress("Downloading", "a", 1_000_000, 4_000_000)));
        engine.Script.Add((tick, new PullProgress("Downloading", "a", 2_000_000, 4_000_000)));
        engine.Script.Add((tick, new PullProgress("Downloading", "a", 3_000_000, 4_000_000)));
        engine.Script.Add((tick, new PullProgress("Pull complete", "a", null, null)));
        var journal = new InstanceJournal();
        var reconciler = Reconciler(engine, clock, journal, withSecrets);
        var interim = new List<DeploymentStatus>();

        var outcome = await reconciler.ReconcileAsync("hello", Entry(), CancellationToken.None, interim.Add);

        var pulls = interim.Select(s => s.Pull).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(pulls, Has.All.Not.Null);
            Assert.That(pulls.Select(p => p!.BytesDone), Is.EqualTo(new long[] { 0, 2_000_000, 4_000_000 }), "start, every 500 ms, end");
            Assert.That(pulls[^1]!.LayersDone, Is.EqualTo(2));
            Assert.That(interim[1].State, Is.EqualTo(DeploymentState.Progressing));
            Assert.That(interim[1].Message, Is.EqualTo($"0/1 replicas ready; pulling {Image} 2.0 MB of 4.0 MB (1/2 layers)"));
            Assert.That(outcome.Status?.Pull, Is.Null);
            Assert.That(engine.Created, Is.EqualTo(1));
            Assert.That(
                journal.History("hello-0").Select(e => (e.State, e.Message)),
                Is.EqualTo(new[] { ("pulling", (string?)$"{Image} 4.0 MB of 4.0 MB (2/2 layers)"), ("pending", null) }),
                "one pulling entry that follows the progress");
        });
    }

    private DeploymentReconciler Reconciler(ScriptedPullEngine engine, FakeTimeProvider clock, InstanceJournal journal, bool withSecrets)
    {
        var options = new ReconcilerOptions();
        var secrets = withSecrets
            ? new DeploymentSecrets(
                new SecretSnapshots(new SecretStore(_state), _state),
                new RestartGenerations(_state),
                new ImagePuller(engine, new RegistryStore(_state), new PullProgressTracker(clock)))
            : null;
        return new DeploymentReconciler(
            engine, new ReplicaObserver(engine, options), options, _ => true, clock, NullLogger<DeploymentReconciler>.Instance, journal: journal, secrets: secrets);
    }

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
