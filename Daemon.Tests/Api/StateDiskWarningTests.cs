using GradientNode.Daemon.Api;
using NUnit.Framework;

namespace GradientNode.Tests.Api;

[TestFixture]
[Category("Unit")]
internal sealed class StateDiskWarningTests
{
    private const long Mib = 1L << 20;

    [Test]
    public void For_FullSmallDisk_SaysWhatCannotBeWrittenAndWhatToDo()
    {
        // Seen with the state dir on a full 64 MiB tmpfs: `secrets set` said "is the node's state directory full or
        // read-only? (gradient-node node lists its warnings)", and `node` listed none.
        Assert.That(StateDiskWarning.For("/var/lib/gradient", 0, 64 * Mib), Is.EqualTo(
            "the state directory /var/lib/gradient is on a disk with 0 MiB free of 64 MiB: specs' last good copies, secrets, datasets, workflow records "
            + "and kept job logs cannot be written once it is full; free space there (gradient-node datasets gc, gradient-node workflows delete NAME --all)"));
    }

    [TestCase(4 * Mib, 64 * Mib, false)] // 6 %: room on a small disk
    [TestCase(3 * Mib, 64 * Mib, true)] // under 5 %
    [TestCase(2048 * Mib, 1024 * 1024 * Mib, false)] // 2 GiB free of 1 TiB: room
    [TestCase(900 * Mib, 1024 * 1024 * Mib, true)] // under 1 GiB on a large disk
    [TestCase(0, 0, false)] // a disk that reports no size (a pseudo file system): nothing said
    public void For_FreeOfTotal_WarnsOnlyWhenLow(long free, long total, bool warns)
    {
        Assert.That(StateDiskWarning.For("/s", free, total), warns ? Is.Not.Null : Is.Null);
    }

    [Test]
    public void For_StateDirNotMadeYet_LooksAtTheDiskOfItsNearestFolderWithoutThrowing()
    {
        Assert.That(() => StateDiskWarning.For(Path.Combine(Path.GetTempPath(), $"gn-absent-{Guid.NewGuid():N}", "state")), Throws.Nothing);
    }
}
