using GradientNode.Core.Datasets;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

[TestFixture]
[Category("Unit")]
internal sealed class DatasetLeasesTests
{
    [Test]
    public void Hold_SameHolderTwice_HeldOnceAndOneReleaseLetsGo()
    {
        var leases = new DatasetLeases();

        leases.Hold("workflow 'w' run 1", "src:abc1234");
        leases.Hold("workflow 'w' run 1", "src:abc1234");

        Assert.Multiple(() =>
        {
            Assert.That(leases.HoldersOf("src:abc1234"), Is.EqualTo(new[] { "workflow 'w' run 1" }));
            Assert.That(leases.Release("workflow 'w' run 1"), Is.EqualTo(1));
            Assert.That(leases.HoldersOf("src:abc1234"), Is.Empty);
        });
    }

    [Test]
    public void Release_OneOfTwoHolders_TheOtherStillHoldsAndNothingElseChanges()
    {
        var leases = new DatasetLeases();
        leases.Hold("workflow 'w' run 2", "src:abc1234");
        leases.Hold("workflow 'w' run 1", "src:abc1234");
        leases.Hold("workflow 'w' run 1", "out:def5678");

        var released = leases.Release("workflow 'w' run 1");

        Assert.Multiple(() =>
        {
            Assert.That(released, Is.EqualTo(2));
            Assert.That(leases.HoldersOf("src:abc1234"), Is.EqualTo(new[] { "workflow 'w' run 2" }));
            Assert.That(leases.HoldersOf("out:def5678"), Is.Empty);
            Assert.That(leases.HeldBy("workflow 'w' run 1"), Is.Empty);
            Assert.That(leases.Release("workflow 'w' run 1"), Is.Zero, "releasing twice is harmless");
        });
    }

    [Test]
    public void HeldOf_VersionsOfSeveralDatasets_OnlyThatDatasetsInOrderWithTheirHolders()
    {
        var leases = new DatasetLeases();
        leases.Hold("workflow 'b' run 1", "src:zzz0000");
        leases.Hold("workflow 'a' run 1", "src:aaa0000");
        leases.Hold("workflow 'b' run 1", "src:aaa0000");
        leases.Hold("workflow 'a' run 1", "src2:aaa0000");

        var held = leases.HeldOf("src");

        Assert.Multiple(() =>
        {
            Assert.That(held.Keys, Is.EqualTo(new[] { "src:aaa0000", "src:zzz0000" }));
            Assert.That(held["src:aaa0000"], Is.EqualTo(new[] { "workflow 'a' run 1", "workflow 'b' run 1" }));
            Assert.That(leases.HeldBy("workflow 'a' run 1"), Is.EqualTo(new[] { "src2:aaa0000", "src:aaa0000" }.Order(StringComparer.Ordinal)));
        });
    }

    [Test]
    public async Task Hold_ManyHoldersAtOnce_EveryHoldCountedAndEveryReleaseApplied()
    {
        var leases = new DatasetLeases();

        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => leases.Hold($"workflow 'w' run {i}", $"src:v{i % 4:D6}"))));
        var holders = Enumerable.Range(0, 4).Sum(v => leases.HoldersOf($"src:v{v:D6}").Count);
        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => leases.Release($"workflow 'w' run {i}"))));

        Assert.Multiple(() =>
        {
            Assert.That(holders, Is.EqualTo(64));
            Assert.That(Enumerable.Range(0, 4).Sum(v => leases.HoldersOf($"src:v{v:D6}").Count), Is.Zero);
        });
    }
}
