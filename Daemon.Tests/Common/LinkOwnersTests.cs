using GradientNode.Core.Common;
using GradientNode.Tests.Infrastructure;
using GradientNode.Tests.Install;
using NUnit.Framework;

namespace GradientNode.Tests.Common;

/// <summary>
/// The check is made on the descriptor already opened: a link followed by the open and changed before the check is
/// refused, never read unchecked (the walk would otherwise judge the file the link leads to now, not the one opened).
/// </summary>
[TestFixture]
[Category("Unit")]
internal sealed class LinkOwnersTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("gn-link-owners-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task Check_LinkToARootOnlyFileReplacedByTheOwnersOwnFileAfterTheOpen_RefusedAsChanged()
    {
        TestEnvironment.RequireRoot("the test gives a link to another user (chown -h)");
        var secret = Path.Combine(_root, "shadow");
        await File.WriteAllTextAsync(secret, "root:$6$TOPSECRET:::\n");
        var spec = Path.Combine(_root, "web.yaml");
        File.CreateSymbolicLink(spec, secret);
        await ChownAsync(spec, 65534);
        using var handle = RegularFile.TryOpenForRead(spec)!;

        // Between the open and the check the link's owner puts a file of their own in its place.
        File.Delete(spec);
        await File.WriteAllTextAsync(spec, "name: web\n");
        await ChownAsync(spec, 65534);

        var refused = Assert.Throws<IOException>(() => LinkOwners.Check(spec, handle));
        Assert.That(refused!.Message, Does.Contain("changed while it was opened"));
    }

    [Test]
    public void Check_PlainFileAndRootsOwnLink_Accepted()
    {
        var file = Path.Combine(_root, "web.yaml");
        File.WriteAllText(file, "name: web\n");
        var link = Path.Combine(_root, "link.yaml");
        File.CreateSymbolicLink(link, file);

        using var plain = RegularFile.TryOpenForRead(file)!;
        using var linked = RegularFile.TryOpenForRead(link)!;

        Assert.DoesNotThrow(() => LinkOwners.Check(file, plain));
        Assert.DoesNotThrow(() => LinkOwners.Check(link, linked));
    }

    [Test]
    public async Task Check_LinkToAnotherUsersFile_RefusedForRootAcceptedForAProcessOfTheLinksOwner()
    {
        TestEnvironment.RequireRoot("the test gives a link to another user (chown -h)");
        var config = Path.Combine(_root, "node.yaml");
        await File.WriteAllTextAsync(config, "domain: example.com\n");
        var link = Path.Combine(_root, "mine.yaml");
        File.CreateSymbolicLink(link, config);
        await ChownAsync(link, 65534);
        using var handle = RegularFile.TryOpenForRead(link)!;

        var refused = Assert.Throws<IOException>(() => LinkOwners.Check(link, handle, self: 0));
        Assert.That(refused!.Message, Does.Contain("owned by uid 65534"));
        Assert.DoesNotThrow(() => LinkOwners.Check(link, handle, self: 65534));
    }

    private static async Task ChownAsync(string path, int uid)
    {
        var (code, output) = await ShellTool.RunAsync("chown", ["-h", uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path]);
        Assert.That(code, Is.Zero, output);
    }
}
