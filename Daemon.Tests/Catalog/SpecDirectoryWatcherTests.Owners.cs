using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

/// <summary>Two files that declare one name: the owner keeps it across a restart of the daemon.</summary>
internal sealed partial class SpecDirectoryWatcherTests
{
    [Test]
    public async Task ScanAsync_OwnerEditedAfterASecondFileClaimedItsName_NewWatcherKeepsTheOwner()
    {
        var owner = Path.Combine(_specs, "web.yaml");
        var other = Path.Combine(_specs, "copy.yaml");
        File.WriteAllText(owner, Valid("web", image: "nginx:owner"));
        File.SetLastWriteTimeUtc(owner, DateTime.UtcNow.AddMinutes(-10));
        var first = NewWatcher();
        await first.ScanAsync(CancellationToken.None);
        File.WriteAllText(other, Valid("web", image: "nginx:copy"));
        File.SetLastWriteTimeUtc(other, DateTime.UtcNow.AddMinutes(-5));
        await first.ScanAsync(CancellationToken.None);

        // The owner is edited after the other file appeared: by modification time alone the copy would now be older.
        File.WriteAllText(owner, Valid("web", image: "nginx:owner2"));
        await first.ScanAsync(CancellationToken.None);
        var restarted = NewWatcher();
        await restarted.ScanAsync(CancellationToken.None);

        var entry = restarted.Entries["web"];
        Assert.Multiple(() =>
        {
            Assert.That(first.Entries["web"].File, Is.EqualTo(owner));
            Assert.That(entry.File, Is.EqualTo(owner));
            Assert.That(entry.Spec!.Image, Is.EqualTo("nginx:owner2"));
            Assert.That(entry.IgnoredFiles, Is.EqualTo(new[] { other }));
        });
    }
}
