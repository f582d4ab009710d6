using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

internal sealed partial class SpecDirectoryWatcherTests
{
    [Test]
    public async Task TargetFileFor_NewSlugWhoseFileNameHoldsAnotherDeployment_IsAFreshFileNotThatOne()
    {
        // web.yaml was edited to say name: web2 (a rename); an apply of a new 'web' wrote over it and web2 was gone.
        var renamed = Path.Combine(_specs, "web.yaml");
        File.WriteAllText(renamed, Valid("web2"));
        File.WriteAllText(Path.Combine(_specs, "web-2.yaml"), Valid("other"));
        var watcher = NewWatcher();
        await watcher.ScanAsync(CancellationToken.None);

        var target = watcher.TargetFileFor("web");
        await watcher.WriteAsync(target, Valid("web"), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(target, Is.EqualTo(Path.Combine(_specs, "web-3.yaml")));
            Assert.That(File.ReadAllText(renamed), Is.EqualTo(Valid("web2")));
            Assert.That(watcher.Entries.Keys, Is.EquivalentTo(new[] { "web", "web2", "other" }));
        });
    }

    [Test]
    public async Task TargetFileFor_NewSlugWhoseFileNameIsTakenByAFileNotReadYet_LeavesThatFile()
    {
        var watcher = NewWatcher();
        await watcher.ScanAsync(CancellationToken.None);
        var unread = Path.Combine(_specs, "web.yaml");
        File.WriteAllText(unread, Valid("web2")); // written after the scan: the catalog does not know it yet

        Assert.That(watcher.TargetFileFor("web"), Is.EqualTo(Path.Combine(_specs, "web-2.yaml")));
    }
}
