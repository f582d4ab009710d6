using GradientNode.Core.Datasets;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Datasets;

/// <summary>A write begun on a full disk (a real one: a small tmpfs filled to the last byte) leaves nothing behind.</summary>
internal sealed partial class DatasetStoreTests
{
    [Test]
    public void BeginWrite_DiskFull_FailsAndLeavesNoStagingFolder()
    {
        using var disk = FullTmpfs.Mount();
        var store = new DatasetStore(Path.Combine(disk.Path, "datasets"), _time);
        store.Create("images", null);
        disk.Fill();

        var ex = Assert.Catch<IOException>(() => store.BeginWrite("images", null));

        // Before: .staging/<write>/content stayed until the next daemon start (CleanStaging).
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("No space left on device"));
            Assert.That(Directory.GetFileSystemEntries(store.StagingDir), Is.Empty);
        });
    }
}
