using GradientNode.Core.Routing;
using GradientNode.Proxy.Tls;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

/// <summary>
/// A <c>--tls-dir</c> that names some hosts only (newuser5 F7): the others got the folder's first certificate, one for
/// another name, and nothing said so. The node CA serves them now, and the daemon is told which names were given.
/// </summary>
internal sealed partial class CertificateProviderTests
{
    [TestCase("/dev/null")]
    [TestCase("file")]
    [TestCase("missing")]
    public void Start_TlsDirThatIsNoFolderBesideTheNodesCa_RefusedWithoutWritingTheCa(string tlsDir)
    {
        // Before: the node's CA and its leaf were written into the state directory, then the folder was refused.
        var file = Path.Combine(_dir, "file");
        File.WriteAllText(file, "not a folder");
        var folder = tlsDir switch { "file" => file, "missing" => Path.Combine(_dir, "missing"), _ => tlsDir };
        var authority = Path.Combine(_dir, "tls");
        using var provider = Provider(new ProxyTlsOptions { CertificateDirectory = folder, AuthorityDirectory = authority }, new FakeTimeProvider());

        Assert.That(provider.Start, Throws.TypeOf<CertificateLoadException>().With.Message.StartWith($"{folder}: ").And.Message.Contain("--tls-dir (tlsDir) names a folder"));
        Assert.That(Directory.Exists(authority), Is.False, "nothing of the CA written");
    }

    [Test]
    public void Select_FolderNamesOneHostAndNodeCa_AnotherHostGetsTheNodeCaWildcardNotTheFolderCertificate()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "hosts")).FullName;
        _ca.Write(folder, "api", "api.example.com");
        using var provider = Provider(new ProxyTlsOptions { CertificateDirectory = folder, AuthorityDirectory = Path.Combine(_dir, "tls") }, new FakeTimeProvider());

        provider.Start();

        var other = provider.Select("web.example.com")!;
        Assert.Multiple(() =>
        {
            Assert.That(other.DnsNames, Does.Contain("*.example.com"), "a host the folder does not name gets a certificate naming it");
            Assert.That(other.Certificate.Issuer, Does.Contain("Gradient Node CA"));
            Assert.That(provider.Select("api.example.com")!.DnsNames, Is.EqualTo(new[] { "api.example.com" }), "the folder's host keeps its certificate");
            Assert.That(provider.Select(null)!.DnsNames, Does.Contain("*.example.com"), "no SNI: the node CA's, not the folder's first");
        });
    }

    [Test]
    public void Select_FolderNamesOneHostSingleLabelDomain_RoutedHostGetsItsOwnNameFromTheNodeCa()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "hosts")).FullName;
        _ca.Write(folder, "app02", "app02.localhost");
        using var provider = new CertificateProvider(
            new ProxyTlsOptions { CertificateDirectory = folder, AuthorityDirectory = Path.Combine(_dir, "tls") }, "localhost", new FakeTimeProvider(),
            new CollectingLogger<CertificateProvider>(), host => host is "app01.localhost" or "app02.localhost");

        provider.Start();

        Assert.Multiple(() =>
        {
            Assert.That(provider.Select("app01.localhost")!.DnsNames, Is.EqualTo(new[] { "app01.localhost" }));
            Assert.That(provider.Select("app01.localhost")!.Certificate.Issuer, Does.Contain("Gradient Node CA"));
            Assert.That(provider.Select("app02.localhost")!.Certificate.Issuer, Does.Contain("Test CA"), "the folder's certificate for its host");
        });
    }

    [Test]
    public void Start_FolderAndNodeCa_WarnsAndTellsTheDaemonWhichNamesWereGivenUntilItStops()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "hosts")).FullName;
        var run = Path.Combine(_dir, "run");
        _ca.Write(folder, "api", "api.example.com");
        var log = new CollectingLogger<CertificateProvider>();
        var provider = new CertificateProvider(
            new ProxyTlsOptions { CertificateDirectory = folder, AuthorityDirectory = Path.Combine(_dir, "tls") }, "example.com", new FakeTimeProvider(), log, runDir: run);

        provider.Start();
        var names = TlsNamesFile.Read(run);
        _ca.Write(folder, "web", "web.example.com");
        provider.Reload("test");
        var reloaded = TlsNamesFile.Read(run);
        provider.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(names?.Given, Is.EqualTo(new[] { "api.example.com" }), "the node CA's names are not given ones");
            Assert.That(names?.NodeAuthorityServesTheRest, Is.True);
            Assert.That(reloaded?.Given, Is.EquivalentTo(new[] { "api.example.com", "web.example.com" }), "rewritten on a reload");
            Assert.That(log.Events.Where(e => e.Id.Id == 6012).Select(e => e.Message).FirstOrDefault(),
                Does.Contain($"no certificate in {folder} names (it names api.example.com) are served a certificate from the node's own CA"));
            Assert.That(log.Events.Count(e => e.Id.Id == 6012), Is.EqualTo(2), "at start and on the reload that changed the set");
            Assert.That(File.Exists(TlsNamesFile.PathIn(run)), Is.False, "removed when the proxy stops");
        });
    }

    [Test]
    public void Start_EmptyFolderAndNodeCa_WarningSaysTheFolderHoldsNoCertificateYet()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        var log = new CollectingLogger<CertificateProvider>();
        using var provider = new CertificateProvider(
            new ProxyTlsOptions { CertificateDirectory = folder, AuthorityDirectory = Path.Combine(_dir, "tls") }, "example.com", new FakeTimeProvider(), log);

        provider.Start();

        // Before: "(it names nothing)". No host need be routed yet: the warning is about the folder, not the routes.
        Assert.That(log.Events.Single(e => e.Id.Id == 6012).Message,
            Does.StartWith($"Hosts under example.com that no certificate in {folder} names (it holds no certificate yet) are served a certificate from the node's own CA"));
    }

    [Test]
    public void Start_TlsCertForAnotherDomain_TellsTheDaemonThatNoNodeCaServesTheRest()
    {
        var run = Path.Combine(_dir, "run");
        var (cert, key) = _ca.Write(_dir, "wild", "*.other.example");
        using var provider = new CertificateProvider(
            new ProxyTlsOptions { CertificateFile = cert, KeyFile = key, AuthorityDirectory = Path.Combine(_dir, "tls") }, "example.com", new FakeTimeProvider(),
            new CollectingLogger<CertificateProvider>(), runDir: run);

        provider.Start();

        var names = TlsNamesFile.Read(run);
        Assert.Multiple(() =>
        {
            Assert.That(names?.Given, Is.EqualTo(new[] { "*.other.example" }));
            Assert.That(names?.NodeAuthorityServesTheRest, Is.False);
            Assert.That(names?.WarningFor("web.example.com"), Does.Contain("no certificate names web.example.com (they name *.other.example)"));
        });
    }
}
