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

    [Test]
    public async Task ScanAsync_QuickRescanAfterTheTargetOfALinkIsEdited_ReadsItAndPublishesIt()
    {
        // Specs kept in a repository elsewhere and linked in. Before, the stamp was the link's own (its times and size
        // never move when the target is edited), so the edit was never read, though the node's refusal to write
        // through a link tells the user to edit the target and that the node picks the change up.
        var target = Path.Combine(_root, "repo-a.yaml");
        File.WriteAllText(target, Valid("a", image: "nginx:1"));
        File.SetLastWriteTimeUtc(target, DateTime.UtcNow.AddMinutes(-1));
        var link = Path.Combine(_specs, "a.yaml");
        File.CreateSymbolicLink(link, target);
        SetLinkTime(link, "1 minute ago"); // a link made a while ago: its own stamp is settled, so a quick rescan trusts it
        var watcher = NewWatcher();
        await watcher.ScanAsync(CancellationToken.None);
        var raised = new List<IReadOnlySet<string>>();
        watcher.Changed += raised.Add;

        File.WriteAllText(target, Valid("a", image: "nginx:22"));
        File.SetLastWriteTimeUtc(target, DateTime.UtcNow.AddSeconds(-30));
        await watcher.ScanAsync(quick: true, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(raised.SelectMany(s => s), Is.EquivalentTo(new[] { "a" }));
            Assert.That(watcher.Entries["a"].Spec!.Image, Is.EqualTo("nginx:22"));
        });
    }

    /// <summary>Sets a symbolic link's own modification time (<c>touch -h</c>; .NET's setters follow the link).</summary>
    private static void SetLinkTime(string link, string when)
    {
        using var touch = System.Diagnostics.Process.Start("touch", ["-h", "-d", when, link])!;
        touch.WaitForExit();
        Assert.That(touch.ExitCode, Is.Zero, "touch -h");
    }

    /// <summary>A spec file last modified a minute ago (settled: its stamp can be trusted).</summary>
    private void WriteSettled(string name, string text)
    {
        var path = Path.Combine(_specs, name);
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-1));
    }
}
