using GradientNode.Core.Common;
using GradientNode.Core.Specs;
using GradientNode.Core.Specs.Parsing;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

[TestFixture]
[Category("Unit")]
internal sealed class BoundedTextTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gn-bounded-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task ReadAsync_FileFarOverTheLimit_ReadsOneCharacterPastItAndTheParserRefusesIt()
    {
        var path = Path.Combine(_dir, "huge.yaml");
        await File.WriteAllTextAsync(path, "image: " + new string('a', 3 * YamlGuard.MaxChars));

        var text = await BoundedText.ReadAsync(path, YamlGuard.MaxChars, CancellationToken.None);
        var result = SpecParser.Parse("huge.yaml", text);

        Assert.Multiple(() =>
        {
            Assert.That(text, Has.Length.EqualTo(YamlGuard.MaxChars + 1));
            Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { $"huge.yaml:1:1: the text is longer than {YamlGuard.MaxChars} characters, the most allowed" }));
        });
    }

    [Test]
    public async Task ReadRegularFileAsync_RegularFileAndAFileRemovedBeforeTheRead_TextAndFileNotFound()
    {
        // The last-good copy's reader takes a file removed under it for "no text" by this exception's type.
        var path = Path.Combine(_dir, "spec.yaml");
        await File.WriteAllTextAsync(path, "image: x\n");

        var text = await BoundedText.ReadRegularFileAsync(path, 100, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(text, Is.EqualTo("image: x\n"));
            Assert.That(() => BoundedText.ReadRegularFileAsync(Path.Combine(_dir, "gone.yaml"), 100, CancellationToken.None), Throws.InstanceOf<FileNotFoundException>());
        });
    }

    [Test]
    public async Task ReadAsync_CallersFileIsAnotherUsersLinkToARootOnlyFile_RefusedNamingTheLinkNothingRead()
    {
        // Root applies alice's spec (`apply -f /home/alice/web.yaml`, `workflows run FILE --inputs FILE`), which alice made
        // a link to a file only root reads. Before: root read it, printed its lines in the parse errors and sent what
        // parses to the daemon, which keeps it where the socket group reads it back.
        if (Environment.UserName != "root")
        {
            Assert.Ignore("a link of another user needs root to make");
        }

        var secret = Path.Combine(_dir, "shadow");
        await File.WriteAllTextAsync(secret, "root:$6$hash\n");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var link = Path.Combine(_dir, "web.yaml");
        File.CreateSymbolicLink(link, secret);
        using (var chown = System.Diagnostics.Process.Start("chown", ["-h", "nobody", link]))
        {
            await chown.WaitForExitAsync();
        }

        var own = Path.Combine(_dir, "own.yaml");
        File.CreateSymbolicLink(own, secret);

        var refused = Assert.ThrowsAsync<IOException>(() => BoundedText.ReadAsync(link, YamlGuard.MaxChars, CancellationToken.None));
        Assert.Multiple(async () =>
        {
            Assert.That(refused!.Message, Does.Contain($"symbolic link {link}, owned by uid 65534").And.Not.Contain("$6$"));
            Assert.That(await BoundedText.ReadAsync(own, YamlGuard.MaxChars, CancellationToken.None), Is.EqualTo("root:$6$hash\n"), "the caller's own link is read");
        });
    }

    [Test]
    public async Task ReadAsync_CallersFileIsAFifo_RefusedWithoutWaitingForAWriter()
    {
        // Before: a fifo named like the file held `apply -f` (as root, on a member's folder) for good, waiting for a writer.
        var fifo = Path.Combine(_dir, "web.yaml");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
        }

        Assert.That(() => BoundedText.ReadAsync(fifo, YamlGuard.MaxChars, CancellationToken.None), Throws.InstanceOf<IOException>().With.Message.EqualTo($"{fifo} is not a regular file (a fifo, device, socket or folder), so it is not read"));
    }

    [Test]
    public void Read_SmallFile_ReadsItWhole()
    {
        var path = Path.Combine(_dir, "small.yaml");
        File.WriteAllText(path, "\uFEFFimage: x\nname: é\n");

        Assert.That(BoundedText.Read(path, YamlGuard.MaxChars), Is.EqualTo("image: x\nname: é\n"));
    }

    [Test]
    public async Task ReadAsync_InvalidUtf8InAnEnvValue_TheParserRefusesItAtTheByte()
    {
        // Before: StreamReader turned 0xE9 into U+FFFD and the spec was accepted with that value.
        var path = Path.Combine(_dir, "bad.yaml");
        await File.WriteAllBytesAsync(path, [.. "name: app\nimage: nginx\nresources:\n  machineType: C4\n  ports: [80]\nenv:\n  - name: A\n    value: caf"u8, 0xE9, .. "\n"u8]);

        var result = SpecParser.Parse(path, await BoundedText.ReadAsync(path, YamlGuard.MaxChars, CancellationToken.None));

        Assert.That(result.Spec, Is.Null);
        Assert.That(result.Errors.Select(e => e.ToString()), Is.EqualTo(new[] { $"{path}:8:15: invalid UTF-8: byte 0xE9; the text must be UTF-8" }));
    }

    [Test]
    public async Task ReadAsync_Stream_DecodesLikeAFile()
    {
        using var stdin = new MemoryStream([0xEF, 0xBB, 0xBF, .. "image: x\n"u8, 0x80]);

        var text = await BoundedText.ReadAsync(stdin, YamlGuard.MaxChars, CancellationToken.None);

        Assert.That(YamlGuard.Check(text), Is.EqualTo(new YamlLimitError(2, 1, "invalid UTF-8: byte 0x80; the text must be UTF-8")));
    }

    [Test]
    public async Task ReadAsync_MultibyteFileOverTheLimit_CutAfterOneCharacterPastIt()
    {
        var path = Path.Combine(_dir, "wide.yaml");
        await File.WriteAllTextAsync(path, new string('€', 2 * YamlGuard.MaxChars));

        var text = await BoundedText.ReadAsync(path, YamlGuard.MaxChars, CancellationToken.None);

        Assert.That(text, Is.EqualTo(new string('€', YamlGuard.MaxChars + 1)));
    }
}
