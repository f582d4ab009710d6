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
    public void Of_LinkAnotherUserOwnsToARootOnlyFile_RefusedNamingTheLinkAndItsOwner()
    {
        // Root runs `models add X --from /home/alice/model` (or `datasets upload`) for alice, who left a link there to a
        // file only root reads: before, root read it and uploaded it into the store, for alice's deployments to mount.
        RequireRoot();
        var secret = RootOnlyFile("private", "secret", "root:$6$hash\n");
        var source = Directory.CreateDirectory(Path.Combine(_dir, "src")).FullName;
        File.WriteAllText(Path.Combine(source, "ok.txt"), "x");
        var link = Path.Combine(source, "weights.bin");
        File.CreateSymbolicLink(link, secret);
        ChownLink(link, "nobody");

        var error = Assert.Throws<UploadSourceException>(() => DirectoryTarContent.Of(source));

        Assert.That(error!.Message, Does.Contain(link).And.Contain("uid 65534").And.Contain(secret));
    }

    [Test]
    public async Task SerializeToStream_FolderSwappedForAnotherUsersLinkAfterTheWalk_RefusedAndNothingOfTheTargetSent()
    {
        // The walk saw a plain folder; before the file in it is opened, its owner swaps the folder for a link to a root-only one.
        RequireRoot();
        RootOnlyFile("private", "f", "SECRET-CONTENT");
        var source = Directory.CreateDirectory(Path.Combine(_dir, "src")).FullName;
        var sub = Directory.CreateDirectory(Path.Combine(source, "sub")).FullName;
        File.WriteAllText(Path.Combine(sub, "f"), "plain");
        using var content = DirectoryTarContent.Of(source);
        Directory.Delete(sub, recursive: true);
        File.CreateSymbolicLink(sub, Path.Combine(_dir, "private"));
        ChownLink(sub, "nobody");
        using var tar = new MemoryStream();

        var error = Assert.ThrowsAsync<UploadSourceException>(() => content.CopyToAsync(tar));

        Assert.That(error!.Message, Does.Contain(sub).And.Contain("uid 65534"));
        Assert.That(System.Text.Encoding.UTF8.GetString(tar.ToArray()), Does.Not.Contain("SECRET-CONTENT"));
    }

    [Test]
    public async Task SerializeToStream_LinkOwnedByTheFilesOwner_SentAsTheFilesContent()
    {
        // The rule's other side: a link whose owner owns the file it leads to (or is the caller) passes, as before.
        RequireRoot();
        var source = Directory.CreateDirectory(Path.Combine(_dir, "src")).FullName;
        var theirs = Path.Combine(_dir, "theirs.txt");
        File.WriteAllText(theirs, "their own");
        ChownLink(theirs, "nobody");
        var link = Path.Combine(source, "data.txt");
        File.CreateSymbolicLink(link, theirs);
        ChownLink(link, "nobody");
        using var content = DirectoryTarContent.Of(source);
        using var tar = new MemoryStream();

        await content.CopyToAsync(tar);

        Assert.That(System.Text.Encoding.UTF8.GetString(tar.ToArray()), Does.Contain("their own"));
    }

    private static void RequireRoot()
    {
        if (Environment.UserName != "root")
        {
            Assert.Ignore("links of another user need root to make");
        }
    }

    private string RootOnlyFile(string folder, string name, string text)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, folder)).FullName;
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    private static void ChownLink(string path, string user)
    {
        using var chown = System.Diagnostics.Process.Start("chown", ["-h", user, path]);
        chown.WaitForExit();
        Assert.That(chown.ExitCode, Is.Zero, $"chown -h {user} {path}");
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
