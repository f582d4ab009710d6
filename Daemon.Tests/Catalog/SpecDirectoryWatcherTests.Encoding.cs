using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

/// <summary>Files that are not UTF-8 text: refused at their first bad byte, the last good spec keeps running.</summary>
internal sealed partial class SpecDirectoryWatcherTests
{
    [Test]
    public async Task ScanAsync_EditWithABadByte_ErrorAtTheByteAndTheLastGoodKeepsRunning()
    {
        var file = Path.Combine(_specs, "hello.yaml");
        var watcher = NewWatcher();
        await watcher.WriteAsync(file, Valid("hello") + "env:\n  - name: A\n    value: cafe\n", CancellationToken.None);

        await File.WriteAllBytesAsync(file, [.. System.Text.Encoding.UTF8.GetBytes(Valid("hello") + "env:\n  - name: A\n    value: caf"), 0xE9, (byte)'\n']);
        await watcher.ScanAsync(CancellationToken.None);

        var entry = watcher.Entries["hello"];
        Assert.Multiple(() =>
        {
            Assert.That(entry.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { $"{file}:8:15: invalid UTF-8: byte 0xE9; the text must be UTF-8" }));
            Assert.That(entry.Spec!.Env.Single().Value.Literal, Is.EqualTo("cafe"));
        });
    }

    [Test]
    public async Task ScanAsync_FileWithUtf8Bom_Valid()
    {
        await File.WriteAllBytesAsync(Path.Combine(_specs, "hello.yaml"), [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(Valid("hello"))]);
        var watcher = NewWatcher();

        await watcher.ScanAsync(CancellationToken.None);

        Assert.That(watcher.Entries["hello"].IsCurrent, Is.True);
    }
}
