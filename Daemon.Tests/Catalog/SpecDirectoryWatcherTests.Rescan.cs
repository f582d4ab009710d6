using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

/// <summary>The quiet periodic rescan (issue 20, idle cost): it reads only the files whose stamp moved.</summary>
internal sealed partial class SpecDirectoryWatcherTests
{
    [Test]
    public async Task ScanAsync_QuickRescanOfFiftySettledFiles_ReadsNoFileAndRaisesNothing()
    {
        for (var i = 0; i < 50; i++)
        {
            WriteSettled($"s{i}.yaml", Valid($"s{i}"));
        }

        var watcher = NewWatcher();
        await watcher.ScanAsync(CancellationToken.None);
        var raised = new List<IReadOnlySet<string>>();
        watcher.Changed += raised.Add;
        var readsBefore = watcher.FileReads;

        for (var pass = 0; pass < 10; pass++)
        {
            await watcher.ScanAsync(quick: true, CancellationToken.None);
        }

        Assert.Multiple(() =>
        {
            Assert.That(readsBefore, Is.EqualTo(50));
            Assert.That(watcher.FileReads, Is.EqualTo(50));
            Assert.That(raised, Is.Empty);
            Assert.That(watcher.Entries, Has.Count.EqualTo(50));
        });
    }

    [Test]
    public async Task ScanAsync_QuickRescanAfterAnEditOfTheSameSize_ReadsThatFileAndPublishesIt()
    {
        WriteSettled("a.yaml", Valid("a", image: "nginx:1"));
        WriteSettled("b.yaml", Valid("b"));
        var watcher = NewWatcher();
        await watcher.ScanAsync(CancellationToken.None);
        var raised = new List<IReadOnlySet<string>>();
        watcher.Changed += raised.Add;

        File.WriteAllText(Path.Combine(_specs, "a.yaml"), Valid("a", image: "nginx:2"));
        await watcher.ScanAsync(quick: true, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(watcher.FileReads, Is.EqualTo(3));
            Assert.That(raised.SelectMany(s => s), Is.EquivalentTo(new[] { "a" }));
            Assert.That(watcher.Entries["a"].Spec!.Image, Is.EqualTo("nginx:2"));
        });
    }

    [Test]
    public async Task ScanAsync_QuickRescanOfAFileReadWhileFresh_ReadsItAgain()
    {
        // Modified "now" when first read: a same-size write in the same clock tick would keep the stamp, so it is not trusted.
        File.WriteAllText(Path.Combine(_specs, "a.yaml"), Valid("a"));
        File.SetLastWriteTimeUtc(Path.Combine(_specs, "a.yaml"), DateTime.UtcNow.AddMinutes(1));
        var watcher = NewWatcher();
        await watcher.ScanAsync(CancellationToken.None);

        await watcher.ScanAsync(quick: true, CancellationToken.None);

        Assert.That(watcher.FileReads, Is.EqualTo(2));
    }

    [Test]
    public async Task ScanAsync_QuickRescanAfterAFileIsDeleted_RemovesItsEntry()
    {
        WriteSettled("a.yaml", Valid("a"));
        WriteSettled("b.yaml", Valid("b"));
        var watcher = NewWatcher();
        await watcher.ScanAsync(CancellationToken.None);

        File.Delete(Path.Combine(_specs, "b.yaml"));
        await watcher.ScanAsync(quick: true, CancellationToken.None);

        Assert.That(watcher.Entries.Keys, Is.EquivalentTo(new[] { "a" }));
    }

    /// <summary>A spec file last modified a minute ago (settled: its stamp can be trusted).</summary>
    private void WriteSettled(string name, string text)
    {
        var path = Path.Combine(_specs, name);
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-1));
    }
}
