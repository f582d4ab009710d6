using System.Diagnostics;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

/// <summary>
/// What else a specs dir can hold under a spec's name: a fifo (opening it for reading blocks until a writer comes, so
/// the scan, and with it the node's start and every later change, waited for good), a link to one, a folder, a link
/// loop. Each is skipped and named in the warnings; the other specs load.
/// </summary>
internal sealed partial class SpecDirectoryWatcherTests
{
    [Test]
    public async Task ScanAsync_FifoFolderAndLinkLoopNamedLikeSpecs_SkippedAndNamedWithoutBlockingTheOthers()
    {
        WriteSettled("a.yaml", Valid("a"));
        var fifo = Path.Combine(_specs, "pipe.yaml");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
        }

        File.CreateSymbolicLink(Path.Combine(_specs, "to-pipe.yaml"), fifo);
        File.CreateSymbolicLink(Path.Combine(_specs, "loop.yaml"), Path.Combine(_specs, "loop.yaml"));
        Directory.CreateDirectory(Path.Combine(_specs, "folder.yaml"));
        var watcher = NewWatcher();

        var scan = Task.Run(() => watcher.ScanAsync(CancellationToken.None));
        var finished = await TestTimeouts.CompletesWithinAsync(scan, TestTimeouts.Short);
        if (!finished)
        {
            // Release the blocked open (a writer arrives) so that the test run itself does not hang.
            await using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
        }

        Assert.That(finished, Is.True, "a fifo in the specs dir must not block the scan");
        await scan;
        Assert.Multiple(() =>
        {
            Assert.That(watcher.Entries.Keys, Is.EquivalentTo(new[] { "a" }));
            Assert.That(watcher.Warnings, Has.Some.Contains("pipe.yaml").And.Contains("not a regular file"));
            Assert.That(watcher.Warnings, Has.Some.Contains("to-pipe.yaml").And.Contains("not a regular file"));
        });
    }
}
