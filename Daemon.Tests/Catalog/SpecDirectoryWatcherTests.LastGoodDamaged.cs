using GradientNode.Core.Catalog;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

/// <summary>
/// A spec file broken while the daemon was down, whose last good copy is damaged too: no fallback, and the node says so
/// (warning 1105 naming the copy, once; <see cref="CatalogEntry.LastGoodProblem"/> for the status). Before: silently Invalid.
/// </summary>
internal sealed partial class SpecDirectoryWatcherTests
{
    [Test]
    public async Task ScanAsync_FileBrokenAndLastGoodCopyDamagedWhileDaemonWasDown_NoFallbackWarnedOnceNamingTheCopy()
    {
        var file = Path.Combine(_specs, "hello.yaml");
        await NewWatcher().WriteAsync(file, Valid("hello", image: "nginx:good"), CancellationToken.None);
        File.WriteAllText(file, "name: hello\nimage: [broken");
        var copy = Path.Combine(_state, "last-good", "hello.yaml");
        File.WriteAllText(copy, "name: hello\nimage: nginx:go\0\0\0"); // a disk that lost the rest of the block
        var logger = new CollectingLogger<SpecDirectoryWatcher>();
        var restarted = new SpecDirectoryWatcher(_specs, _state, new FakeTimeProvider(), logger);

        await restarted.ScanAsync(CancellationToken.None);
        await restarted.ScanAsync(CancellationToken.None);

        var entry = restarted.Entries["hello"];
        Assert.Multiple(() =>
        {
            Assert.That(entry.Spec, Is.Null, "nothing to fall back on");
            Assert.That(entry.LastGoodProblem, Does.Match(@"^last-good/hello\.yaml does not parse: line \d+, column \d+"));
            Assert.That(logger.Events.Where(e => e.Id.Id == 1105).Select(e => e.Message), Is.EqualTo(new[]
            {
                $"deployment hello: spec file {file} has errors and its last good copy is damaged ({_state}/{entry.LastGoodProblem}); there is no last good version to fall back on: the replicas that run are left as they are (not replaced, not restarted) until the file is fixed",
            }));
            Assert.That(File.Exists(copy), Is.True, "left in place: replaced once the file is valid again");
        });
    }

    [Test]
    public async Task ScanAsync_LastGoodCopyDamagedButFileValid_NoWarningAndTheCopyReplaced()
    {
        var file = Path.Combine(_specs, "hello.yaml");
        await NewWatcher().WriteAsync(file, Valid("hello", image: "nginx:good"), CancellationToken.None);
        var copy = Path.Combine(_state, "last-good", "hello.yaml");
        File.WriteAllText(copy, "\0\0\0");
        var logger = new CollectingLogger<SpecDirectoryWatcher>();
        var restarted = new SpecDirectoryWatcher(_specs, _state, new FakeTimeProvider(), logger);

        await restarted.ScanAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(restarted.Entries["hello"].LastGoodProblem, Is.Null);
            Assert.That(logger.Events.Where(e => e.Id.Id == 1105), Is.Empty);
            Assert.That(File.ReadAllText(copy), Is.EqualTo(Valid("hello", image: "nginx:good")));
        });
    }
}
