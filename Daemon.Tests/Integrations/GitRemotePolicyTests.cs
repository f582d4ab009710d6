using GradientNode.Core.Integrations;
using NUnit.Framework;

namespace GradientNode.Tests.Integrations;

[TestFixture]
[Category("Unit")]
internal sealed class GitRemotePolicyTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("gn-gitroots-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [TestCase("file:///etc")]
    [TestCase("/root/repo.git")]
    [TestCase("relative/repo")]
    public void Check_LocalRemoteWithNoRootsConfigured_RefusedNamingTheOption(string url)
    {
        Assert.That(
            GitRemotePolicy.NoLocalRemotes.Check(url),
            Is.EqualTo($"repository url {url} is a local path; local git remotes must lie under a --git-local-root directory (none configured)"));
    }

    [TestCase("https://github.com/org/repo.git")]
    [TestCase("ssh://git@example.com/org/repo.git")]
    [TestCase("git@example.com:org/repo.git")]
    [TestCase("git://example.com/repo.git")]
    public void Check_NetworkRemote_Allowed(string url)
    {
        Assert.That(GitRemotePolicy.NoLocalRemotes.Check(url), Is.Null);
    }

    [Test]
    public void Check_RemoteHelper_Refused()
    {
        Assert.That(new GitRemotePolicy([_root]).Check("ext::sh -c touch% /tmp/pwned"), Does.Contain("git remote helper ('ext::')"));
    }

    [Test]
    public void Check_InsideARoot_AllowedAsUrlAndAsPath()
    {
        var repo = Directory.CreateDirectory(Path.Combine(_root, "allowed", "repo.git")).FullName;
        var policy = new GitRemotePolicy([Path.Combine(_root, "allowed")]);

        Assert.That(policy.Check("file://" + repo), Is.Null);
        Assert.That(policy.Check(repo), Is.Null);
    }

    [Test]
    public void Check_OutsideTheRoots_RefusedListingThem()
    {
        var allowed = Directory.CreateDirectory(Path.Combine(_root, "allowed")).FullName;
        var policy = new GitRemotePolicy([allowed]);

        Assert.That(policy.Check(_root + "/allowed-sibling/repo.git"), Does.Contain($"must lie under a --git-local-root directory ({allowed})"));
        Assert.That(policy.Check("file:///etc"), Does.Contain("is a local path"));
    }

    [Test]
    public void Check_SymlinkInsideARootPointingOutside_Refused()
    {
        var allowed = Directory.CreateDirectory(Path.Combine(_root, "allowed")).FullName;
        var secret = Directory.CreateDirectory(Path.Combine(_root, "secret")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(allowed, "link"), secret);
        var policy = new GitRemotePolicy([allowed]);

        Assert.That(policy.Check("file://" + Path.Combine(allowed, "link")), Does.Contain("is a local path"));
        Assert.That(policy.Check(Path.Combine(allowed, "link", "repo.git")), Does.Contain("is a local path"));
    }

    [Test]
    public void Check_SymlinkInsideARootPointingOutside_SaysALinkLeadsOutsideWithoutNamingItsTarget()
    {
        var allowed = Directory.CreateDirectory(Path.Combine(_root, "allowed")).FullName;
        var secret = Directory.CreateDirectory(Path.Combine(_root, "secret-target")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(allowed, "link.git"), secret);
        var policy = new GitRemotePolicy([allowed]);

        var problem = policy.Check("file://" + Path.Combine(allowed, "link.git"));

        Assert.That(problem, Is.EqualTo(
            $"repository url file://{allowed}/link.git is a local path under a --git-local-root directory, but a symbolic link on it leads outside every one; "
            + $"local git remotes must lie under a --git-local-root directory ({allowed})"));
        Assert.That(problem, Does.Not.Contain("secret-target"));
    }

    [TestCase("/allowed/../secret")]
    [TestCase("/allowed/%2e%2e/secret")]
    public void Check_DotDotOrEscapes_Refused(string suffix)
    {
        Directory.CreateDirectory(Path.Combine(_root, "allowed"));
        var policy = new GitRemotePolicy([Path.Combine(_root, "allowed")]);

        Assert.That(policy.Check("file://" + _root + suffix), Does.Contain("'..' or '%'"));
    }
}
