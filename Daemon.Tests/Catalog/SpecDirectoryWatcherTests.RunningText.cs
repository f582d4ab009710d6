using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

/// <summary>The text of the version that runs, which <c>diff</c> compares with (GET /v1/deployments/{name}/spec).</summary>
internal sealed partial class SpecDirectoryWatcherTests
{
    [Test]
    public async Task RunningTextAsync_ValidFile_IsTheFile()
    {
        var watcher = NewWatcher();
        await watcher.WriteAsync(Path.Combine(_specs, "hello.yaml"), Valid("hello"), CancellationToken.None);

        Assert.That(await watcher.RunningTextAsync(watcher.Entries["hello"], CancellationToken.None), Is.EqualTo(Valid("hello")));
    }

    [Test]
    public async Task RunningTextAsync_FileBrokenWhileServing_IsTheLastGoodText()
    {
        var file = Path.Combine(_specs, "hello.yaml");
        var watcher = NewWatcher();
        await watcher.WriteAsync(file, Valid("hello", image: "nginx:good"), CancellationToken.None);
        await File.WriteAllTextAsync(file, Valid("hello", image: "nginx:good") + "bogus: 1\n");
        await watcher.ScanAsync(CancellationToken.None);

        var entry = watcher.Entries["hello"];

        Assert.That(entry.IsCurrent, Is.False, "the file has an error");
        Assert.That(await watcher.RunningTextAsync(entry, CancellationToken.None), Is.EqualTo(Valid("hello", image: "nginx:good")));
    }

    [Test]
    public async Task RunningTextAsync_FileNeverValid_IsNull()
    {
        await File.WriteAllTextAsync(Path.Combine(_specs, "hello.yaml"), "apiVersion: v1\nname: hello\nimage: [broken\n");
        var watcher = NewWatcher();
        await watcher.ScanAsync(CancellationToken.None);

        var entry = watcher.Entries.Values.Single();

        Assert.That(await watcher.RunningTextAsync(entry, CancellationToken.None), Is.Null);
    }
}
