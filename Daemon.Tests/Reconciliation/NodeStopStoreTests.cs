using GradientNode.Core.Common;
using GradientNode.Core.Reconciliation;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Reconciliation;

[TestFixture]
[Category("Unit")]
internal sealed class NodeStopStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-node-stops-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Constructor_EmptyFile_KeptAsideNamedInAWarningAndNoRecords()
    {
        var path = Path.Combine(_dir, NodeStopStore.FileName);
        File.WriteAllText(path, string.Empty);
        var logger = new CollectingLogger<NodeStopStore>();

        var store = new NodeStopStore(_dir, new StateFileDamage(new FakeTimeProvider(Now), logger));

        // Before: read as "nothing saved" without a word, and the next record overwrote it.
        Assert.Multiple(() =>
        {
            Assert.That(store.ContainerIds, Is.Empty);
            Assert.That(File.Exists(path + ".damaged-20260101T120000Z"), Is.True);
            Assert.That(logger.Events.Select(e => e.Id.Id), Is.EqualTo(new[] { 1402 }));
            Assert.That(logger.Events[0].Message, Does.Contain($"state file {path} was damaged (it is empty (0 bytes))"));
        });
    }

    [Test]
    public void Record_ThenAStoreOnTheSameStateDir_KnowsTheReason()
    {
        new NodeStopStore(_dir).Record("web", "c1", "liveness probe failed 3 times in a row", Now);

        var after = new NodeStopStore(_dir);

        Assert.Multiple(() =>
        {
            Assert.That(after.ReasonOf("c1"), Is.EqualTo("liveness probe failed 3 times in a row"));
            Assert.That(after.ReasonOf("c2"), Is.Null);
            Assert.That(File.GetUnixFileMode(Path.Combine(_dir, NodeStopStore.FileName)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        });
    }

    [Test]
    public void Forget_RemovedContainer_GoneAlsoAfterARestart()
    {
        var store = new NodeStopStore(_dir);
        store.Record("web", "c1", "GPU lost", Now);

        store.Forget("c1");

        Assert.That(new NodeStopStore(_dir).ReasonOf("c1"), Is.Null);
    }

    [Test]
    public void Keep_ContainerNoLongerObserved_DropsOnlyThatDeploymentsGoneRecords()
    {
        var store = new NodeStopStore(_dir);
        store.Record("web", "c1", "a", Now);
        store.Record("web", "c2", "b", Now);
        store.Record("api", "c3", "c", Now);

        store.Keep("web", new HashSet<string> { "c2" });

        Assert.That(new[] { "c1", "c2", "c3" }.Select(new NodeStopStore(_dir).ReasonOf), Is.EqualTo(new[] { null, "b", "c" }));
    }

    [Test]
    public void Constructor_UnreadableFile_StartsEmpty()
    {
        File.WriteAllText(Path.Combine(_dir, NodeStopStore.FileName), "{not json");

        Assert.That(new NodeStopStore(_dir).ReasonOf("c1"), Is.Null);
    }

    [Test]
    public void Prune_RecordedContainerNotListed_DroppedAlsoAfterARestart()
    {
        var store = new NodeStopStore(_dir);
        store.Record("renamed-away", "c1", "a", Now);
        store.Record("web", "c2", "b", Now);

        store.Prune(store.ContainerIds, new HashSet<string> { "c2", "c9" });

        Assert.That(new[] { "c1", "c2" }.Select(new NodeStopStore(_dir).ReasonOf), Is.EqualTo(new[] { null, "b" }));
    }

    [Test]
    public void Prune_ContainerRecordedAfterTheListing_KeptThoughTheListingLacksIt()
    {
        var store = new NodeStopStore(_dir);
        store.Record("web", "c1", "a", Now);
        var recorded = store.ContainerIds;
        store.Record("web", "c-new", "created and stopped after the listing", Now);

        store.Prune(recorded, new HashSet<string>());

        Assert.That(new[] { "c1", "c-new" }.Select(store.ReasonOf), Is.EqualTo(new[] { null, "created and stopped after the listing" }));
    }
}
