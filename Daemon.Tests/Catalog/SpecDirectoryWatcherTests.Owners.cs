using GradientNode.Core.Catalog;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
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

    [Test]
    public async Task ScanAsync_SpecOwnersFileDamaged_KeptAsideNamedInAWarningAndTheScanGoesOn()
    {
        Directory.CreateDirectory(_state);
        var owners = Path.Combine(_state, SpecOwnersFile.FileName);
        File.WriteAllText(owners, "[\"/etc/gradient/specs/web.ya");
        File.WriteAllText(Path.Combine(_specs, "web.yaml"), Valid("web"));
        var logger = new CollectingLogger<SpecDirectoryWatcher>();

        var watcher = new SpecDirectoryWatcher(_specs, _state, new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 11, 0, 0, TimeSpan.Zero)), logger);
        await watcher.ScanAsync(CancellationToken.None);

        // Before: read as "no preference" without a word, and overwritten by the next save.
        Assert.Multiple(() =>
        {
            Assert.That(watcher.Entries["web"].Spec, Is.Not.Null);
            Assert.That(File.ReadAllText(owners + ".damaged-20261206T110000Z"), Is.EqualTo("[\"/etc/gradient/specs/web.ya"));
            Assert.That(logger.Events.Where(e => e.Id.Id == 1402).Select(e => e.Message).Single(), Does.StartWith($"state file {owners} was damaged (it ends early (cut short"));
        });
    }
}
