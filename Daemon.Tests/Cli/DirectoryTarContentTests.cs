using GradientNode.Core.Integrations;
using GradientNode.Daemon.Cli;
using NUnit.Framework;

namespace GradientNode.Tests.Cli;

[TestFixture]
[Category("Unit")]
internal sealed class DirectoryTarContentTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-tar-content-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Of_EmptyFolder_RefusedBeforeAnythingIsSent()
    {
        // Before: accepted; the empty stream reached the daemon as "not a valid tar stream: Unable to read beyond the end of the stream".
        var source = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;

        var error = Assert.Throws<UploadSourceException>(() => DirectoryTarContent.Of(source));

        Assert.That(error!.Message, Is.EqualTo($"{source} is empty: there is nothing to upload (a version needs at least one file or folder)"));
    }

    [Test]
    public void Of_FileNameWithANewline_RefusedNamingTheFile()
    {
        // Before: sent; the daemon's tar reader refused the whole stream ("The extended header contains invalid records").
        var source = Directory.CreateDirectory(Path.Combine(_dir, "src")).FullName;
        File.WriteAllText(Path.Combine(source, "ok.txt"), "x");
        File.WriteAllText(Path.Combine(source, "new\nline.txt"), "y");

        var error = Assert.Throws<UploadSourceException>(() => DirectoryTarContent.Of(source));

        Assert.That(error!.Message, Is.EqualTo($"{source}/new?line.txt has a control character in its name (shown as ?, e.g. a newline): rename it; such names cannot be uploaded"));
    }

    [Test]
    public async Task Of_OddButPrintableNames_ArriveAsTheyAre()
    {
        var source = Directory.CreateDirectory(Path.Combine(_dir, "src")).FullName;
        string[] names = [" space", "--", "-rf", "back\\slash", "ünï.txt", new string('L', 250)];
        foreach (var name in names)
        {
            File.WriteAllText(Path.Combine(source, name), name);
        }

        using var content = DirectoryTarContent.Of(source);
        using var tar = new MemoryStream();
        await content.CopyToAsync(tar);
        tar.Position = 0;
        var target = Directory.CreateDirectory(Path.Combine(_dir, "out")).FullName;
        var (_, files) = await TarExtractor.ExtractAsync(tar, target, 1 << 20, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(files, Is.EqualTo(names.Length));
            Assert.That(names.Select(n => File.ReadAllText(Path.Combine(target, n))), Is.EqualTo(names));
        });
    }

    [Test]
    public void Of_Fifo_RefusedInWords()
    {
        var source = Directory.CreateDirectory(Path.Combine(_dir, "src")).FullName;
        var fifo = Path.Combine(source, "pipe");
        if (!Mkfifo(fifo))
        {
            Assert.Ignore("mkfifo failed here");
        }

        var error = Assert.Throws<UploadSourceException>(() => DirectoryTarContent.Of(source));

        Assert.That(error!.Message, Is.EqualTo($"{fifo} is a fifo: only regular files and folders can be uploaded"));
    }

    private static bool Mkfifo(string path)
    {
        using var process = System.Diagnostics.Process.Start("mkfifo", [path]);
        process.WaitForExit();
        return process.ExitCode == 0;
    }
}
