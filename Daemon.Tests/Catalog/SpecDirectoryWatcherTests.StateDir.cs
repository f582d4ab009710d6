using GradientNode.Core.Catalog;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

/// <summary>
/// A state directory that cannot be written (full, read-only) and spec files that cannot be read (dangling or looping
/// links) never stop a spec change, are logged once rather than at every 2 s rescan, and show in the node's warnings.
/// </summary>
internal sealed partial class SpecDirectoryWatcherTests
{
    [Test]
    public async Task ScanAsync_DeletedSpecWhileItsLastGoodCopyCannotBeRemoved_StillRemovesTheDeployment()
    {
        var file = Path.Combine(_specs, "web.yaml");
        File.WriteAllText(file, Valid("web"));
        var refuse = true;
        var watcher = new SpecDirectoryWatcher(_specs, _state, new FakeTimeProvider(), new CollectingLogger<SpecDirectoryWatcher>())
        {
            DeleteStateFile = path => { if (refuse) { throw new IOException("Read-only file system"); } File.Delete(path); },
        };
        await watcher.ScanAsync(CancellationToken.None);
        var raised = new List<IReadOnlySet<string>>();
        watcher.Changed += raised.Add;

        File.Delete(file);
        await watcher.ScanAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(watcher.Entries, Is.Empty, "the deletion is applied although the state directory refused the copy's removal");
            Assert.That(raised.SelectMany(s => s), Is.EquivalentTo(new[] { "web" }));
            Assert.That(watcher.Warnings, Has.One.StartsWith($"the state directory {_state} cannot be written (removing {Path.Combine(_state, "last-good", "web.yaml")}: Read-only file system)"));
        });

        refuse = false;
        await watcher.ScanAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(Path.Combine(_state, "last-good", "web.yaml")), Is.False, "removed once it can be");
            Assert.That(watcher.Warnings, Is.Empty);
        });
    }

    [Test]
    public async Task ScanAsync_LastGoodCopyCannotBeWrittenThenCan_WritesItAtALaterScanAndLogsTheProblemOnce()
    {
        var logger = new CollectingLogger<SpecDirectoryWatcher>();
        var watcher = new SpecDirectoryWatcher(_specs, _state, new FakeTimeProvider(), logger);
        Directory.CreateDirectory(_state);
        var blocker = Path.Combine(_state, "last-good");
        File.WriteAllText(blocker, "a file where the directory goes: CreateDirectory fails as it does on a full disk");
        File.WriteAllText(Path.Combine(_specs, "web.yaml"), Valid("web"));

        await watcher.ScanAsync(CancellationToken.None);
        await watcher.ScanAsync(quick: true, CancellationToken.None);
        await watcher.ScanAsync(quick: true, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(watcher.Entries.Keys, Is.EquivalentTo(new[] { "web" }));
            Assert.That(watcher.Warnings, Has.One.StartsWith($"the state directory {_state} cannot be written (writing the last good copy of"));
            Assert.That(logger.Events.Count(e => e.Id.Id == 1103), Is.EqualTo(1), "logged once, not at every rescan");
        });

        File.Delete(blocker);
        await watcher.ScanAsync(quick: true, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(Path.Combine(_state, "last-good", "web.yaml")), Is.EqualTo(Valid("web")), "written at a later scan with no spec change");
            Assert.That(watcher.Warnings, Is.Empty);
            Assert.That(logger.Events.Count(e => e.Id.Id == 1104), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ScanAsync_DiskFullNamingANewTempFileAtEachTry_LoggedOnceNotAtEveryRescan()
    {
        // A real ENOSPC from AtomicFile names the try's own temp file, so each rescan's text differed and the warning
        // came every 2 s for as long as the disk stayed full (seen with the published binary on a full tmpfs).
        var logger = new CollectingLogger<SpecDirectoryWatcher>();
        var full = true;
        var watcher = new SpecDirectoryWatcher(_specs, _state, new FakeTimeProvider(), logger)
        {
            WriteStateFile = (path, bytes) =>
            {
                if (full)
                {
                    throw new IOException($"No space left on device : '{Path.GetDirectoryName(path)}/.{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp'");
                }

                GradientNode.Core.Common.AtomicFile.Write(path, bytes, GradientNode.Core.Common.AtomicFile.OwnerOnly);
            },
        };
        File.WriteAllText(Path.Combine(_specs, "web.yaml"), Valid("web"));

        await watcher.ScanAsync(CancellationToken.None);
        await watcher.ScanAsync(quick: true, CancellationToken.None);
        await watcher.ScanAsync(quick: true, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(logger.Events.Count(e => e.Id.Id == 1103), Is.EqualTo(1), "logged once, not at every rescan");
            Assert.That(watcher.Warnings, Has.One.Contains("No space left on device"));
            Assert.That(watcher.Warnings, Has.None.Contains(".tmp"), "the file, not the try's temp file (seen live by faults14 in `node`)");
        });

        full = false;
        await watcher.ScanAsync(quick: true, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(Path.Combine(_state, "last-good", "web.yaml")), Is.EqualTo(Valid("web")));
            Assert.That(logger.Events.Count(e => e.Id.Id == 1104), Is.EqualTo(1));
            Assert.That(watcher.Warnings, Is.Empty);
        });
    }

    [Test]
    public async Task ScanAsync_DanglingAndLoopingLinks_LoggedOnceEachAndListedInWarnings()
    {
        var logger = new CollectingLogger<SpecDirectoryWatcher>();
        var watcher = new SpecDirectoryWatcher(_specs, _state, new FakeTimeProvider(), logger);
        var dangling = Path.Combine(_specs, "dangling.yaml");
        File.CreateSymbolicLink(dangling, Path.Combine(_root, "nowhere.yaml"));
        File.CreateSymbolicLink(Path.Combine(_specs, "loop1.yaml"), "loop2.yaml");
        File.CreateSymbolicLink(Path.Combine(_specs, "loop2.yaml"), "loop1.yaml");
        File.WriteAllText(Path.Combine(_specs, "web.yaml"), Valid("web"));

        for (var i = 0; i < 5; i++)
        {
            await watcher.ScanAsync(quick: i > 0, CancellationToken.None);
        }

        Assert.Multiple(() =>
        {
            Assert.That(watcher.Entries.Keys, Is.EquivalentTo(new[] { "web" }));
            Assert.That(logger.Events.Count(e => e.Id.Id == 1102), Is.EqualTo(3), "one line per unreadable file, not one per rescan");
            Assert.That(watcher.Warnings, Has.Count.EqualTo(3));
            Assert.That(watcher.Warnings[0], Is.EqualTo($"spec file {dangling} cannot be read (a symbolic link to {Path.Combine(_root, "nowhere.yaml")}, which does not exist): it is skipped, and a deployment it defined keeps the version read before"));
        });

        File.Delete(dangling);
        File.Delete(Path.Combine(_specs, "loop1.yaml"));
        File.Delete(Path.Combine(_specs, "loop2.yaml"));
        await watcher.ScanAsync(CancellationToken.None);

        Assert.That(watcher.Warnings, Is.Empty);
    }
}
