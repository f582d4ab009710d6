using GradientNode.Core.Common;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Catalog;

/// <summary>
/// A spec file linked into a checkout another user owns (<c>web.yaml -&gt; /srv/specs/web.yaml</c>, as cli.md shows):
/// that user turned their file, or a folder on the way, into a link to a root-only file, and the root daemon read it,
/// quoting its lines in the status's errors and returning it whole from <c>GET …/spec?onDisk=true</c> (found by the
/// ninth adversary review). A link is followed only when it is root's or the owner's of the file it leads to.
/// </summary>
internal sealed partial class SpecDirectoryWatcherTests
{
    private const string RootOnlyLine = "root:$6$TOPSECRETHASH:19000:0:99999:7:::";
    private const int Nobody = 65534;

    [Test]
    public async Task ScanAsync_CheckoutFileTurnedIntoALinkToARootOnlyFile_NotReadAndNoLineOfItShown()
    {
        TestEnvironment.RequireRoot("the test gives a link and a checkout to another user (chown)");
        var (checkout, secret) = await LinkedCheckoutAsync();
        var watcher = NewWatcher();
        await watcher.ScanAsync(CancellationToken.None);
        Assert.That(watcher.Entries["web"].Spec, Is.Not.Null, "the linked checkout's spec is read");

        File.Delete(Path.Combine(checkout, "web.yaml"));
        await LinkAsAsync(Path.Combine(checkout, "web.yaml"), secret, Nobody);
        await watcher.ScanAsync(CancellationToken.None);

        var entry = watcher.Entries["web"];
        Assert.Multiple(() =>
        {
            Assert.That(entry.Spec, Is.Not.Null, "the version read before keeps serving");
            Assert.That(string.Join("\n", entry.Errors.Select(e => e.Message)), Does.Not.Contain("TOPSECRET"));
            Assert.That(watcher.Warnings, Has.Some.Contains("web.yaml").And.Contains($"owned by uid {Nobody}").And.Contains("owned by uid 0"));
            Assert.That(string.Join("\n", watcher.Warnings), Does.Not.Contain("TOPSECRET"));
        });

        // What GET /v1/deployments/web/spec?onDisk=true reads: refused, not the file's text.
        var read = Assert.ThrowsAsync<IOException>(() => BoundedText.ReadRegularFileAsync(entry.File, 1 << 20, CancellationToken.None));
        Assert.That(read!.Message, Does.Not.Contain("TOPSECRET"));
    }

    [Test]
    public async Task ScanAsync_FolderOfTheCheckoutTurnedIntoALinkToARootOnlyFolder_NotRead()
    {
        TestEnvironment.RequireRoot("the test gives a link and a checkout to another user (chown)");
        var home = Path.Combine(_root, "home");
        var rootOnly = Path.Combine(_root, "root-only");
        Directory.CreateDirectory(Path.Combine(home, "repo"));
        Directory.CreateDirectory(rootOnly);
        await WriteAsAsync(Path.Combine(home, "repo", "web.yaml"), Valid("web"), Nobody);
        await File.WriteAllTextAsync(Path.Combine(rootOnly, "web.yaml"), RootOnlyLine + "\n");
        File.SetUnixFileMode(Path.Combine(rootOnly, "web.yaml"), OwnerOnly);
        await ChownAsync(home, Nobody);
        File.CreateSymbolicLink(Path.Combine(_specs, "web.yaml"), Path.Combine(home, "repo", "web.yaml"));
        var watcher = NewWatcher();
        await watcher.ScanAsync(CancellationToken.None);
        Assert.That(watcher.Entries["web"].Spec, Is.Not.Null);

        Directory.Move(Path.Combine(home, "repo"), Path.Combine(home, "old"));
        await LinkAsAsync(Path.Combine(home, "repo"), rootOnly, Nobody);
        await watcher.ScanAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(string.Join("\n", watcher.Entries["web"].Errors.Select(e => e.Message)), Does.Not.Contain("TOPSECRET"));
            Assert.That(watcher.Warnings, Has.Some.Contains(Path.Combine(home, "repo")).And.Contains($"owned by uid {Nobody}"));
        });
    }

    [Test]
    public async Task ScanAsync_CheckoutLinksToItsOwnersFiles_Read()
    {
        TestEnvironment.RequireRoot("the test gives a link and a checkout to another user (chown)");
        var (checkout, _) = await LinkedCheckoutAsync();
        await WriteAsAsync(Path.Combine(checkout, "common.yaml"), Valid("web", image: "nginx:linked"), Nobody);
        File.Delete(Path.Combine(checkout, "web.yaml"));
        await LinkAsAsync(Path.Combine(checkout, "web.yaml"), "common.yaml", Nobody);
        var watcher = NewWatcher();

        await watcher.ScanAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(watcher.Entries["web"].Spec?.Image, Is.EqualTo("nginx:linked"), "a checkout may link to its own files");
            Assert.That(watcher.Warnings, Is.Empty);
        });
    }

    /// <summary>A checkout owned by nobody holding a valid web.yaml, linked in by root as specs/web.yaml; and a root-only file.</summary>
    private async Task<(string Checkout, string Secret)> LinkedCheckoutAsync()
    {
        var checkout = Path.Combine(_root, "checkout");
        Directory.CreateDirectory(checkout);
        await WriteAsAsync(Path.Combine(checkout, "web.yaml"), Valid("web"), Nobody);
        await ChownAsync(checkout, Nobody);
        var secret = Path.Combine(_root, "shadow");
        await File.WriteAllTextAsync(secret, RootOnlyLine + "\n");
        File.SetUnixFileMode(secret, OwnerOnly);
        File.CreateSymbolicLink(Path.Combine(_specs, "web.yaml"), Path.Combine(checkout, "web.yaml"));
        return (checkout, secret);
    }

    private static async Task WriteAsAsync(string path, string text, int uid)
    {
        await File.WriteAllTextAsync(path, text);
        await ChownAsync(path, uid);
    }

    private static async Task LinkAsAsync(string link, string target, int uid)
    {
        File.CreateSymbolicLink(link, target);
        await ChownAsync(link, uid);
    }

    /// <summary>chown -h: a link itself, not what it leads to.</summary>
    private static async Task ChownAsync(string path, int uid)
    {
        var (code, output) = await ShellTool.RunAsync("chown", ["-h", uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path]);
        Assert.That(code, Is.Zero, output);
    }
}
