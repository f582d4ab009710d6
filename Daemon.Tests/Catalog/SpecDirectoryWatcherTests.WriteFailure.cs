using GradientNode.Core.Catalog;
using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

/// <summary>
/// A spec file that cannot be written or deleted (a read-only or full specs directory) is an error naming the file and
/// the reason, which the API passes on; before, the client printed "internal error; see the daemon's log".
/// </summary>
internal sealed partial class SpecDirectoryWatcherTests
{
    [Test]
    public void WriteAsync_TargetCannotBeReplaced_ThrowsSpecFileWriteExceptionNamingTheFile()
    {
        var watcher = NewWatcher();
        var target = Path.Combine(_specs, "web.yaml");
        Directory.CreateDirectory(Path.Combine(target, "in-the-way"));

        var error = Assert.ThrowsAsync<SpecFileWriteException>(() => watcher.WriteAsync(target, Valid("web"), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith($"cannot write the spec file {target}: "));
            Assert.That(error.Message, Does.EndWith("; nothing was changed"));
            Assert.That(Directory.EnumerateFiles(_specs, "*.tmp", new EnumerationOptions { AttributesToSkip = 0 }), Is.Empty, "no temporary file is left");
        });
    }

    [Test]
    public async Task DeleteAsync_FileCannotBeDeleted_ThrowsSpecFileWriteExceptionNamingTheFile()
    {
        var path = Path.Combine(_specs, "web.yaml");
        File.WriteAllText(path, Valid("web"));
        var watcher = NewWatcher();
        await watcher.ScanAsync(CancellationToken.None);
        File.Delete(path);
        Directory.CreateDirectory(Path.Combine(path, "in-the-way"));

        var error = Assert.ThrowsAsync<SpecFileWriteException>(() => watcher.DeleteAsync("web", CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith($"cannot delete the spec file {path}: ").And.EndWith("; nothing was changed"));
    }

    [Test]
    public async Task WriteAsync_TargetIsASymbolicLink_RefusedNamingTheLinkedFileAndLeavesBothAsTheyWere()
    {
        var linked = Path.Combine(_root, "checkout", "web.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(linked)!);
        File.WriteAllText(linked, Valid("web"));
        var link = Path.Combine(_specs, "web.yaml");
        File.CreateSymbolicLink(link, linked);
        var watcher = NewWatcher();
        await watcher.ScanAsync(CancellationToken.None);

        var error = Assert.ThrowsAsync<SpecFileWriteException>(() => watcher.WriteAsync(watcher.TargetFileFor("web"), Valid("web", image: "nginx:2"), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith($"cannot write the spec file {link}: it is a symbolic link to {linked}, ").And.Contain($"edit {linked} instead").And.EndWith("; nothing was changed"));
            Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo(linked), "still a link");
            Assert.That(File.ReadAllText(linked), Is.EqualTo(Valid("web")));
        });
    }
}
