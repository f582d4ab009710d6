using GradientNode.Proxy.Tls;
using GradientNode.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

[TestFixture]
[Category("Unit")]
internal sealed partial class CertificateProviderTests
{
    private TestCertificates _ca = null!;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _ca = new TestCertificates();
        _dir = Directory.CreateTempSubdirectory("gn-provider-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        _ca.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static CertificateProvider Provider(ProxyTlsOptions options, TimeProvider time) =>
        new(options, "example.com", time, NullLogger<CertificateProvider>.Instance);

    [Test]
    public void Reload_MismatchedPairWritten_KeepsPreviousCertificate()
    {
        var (cert, key) = _ca.Write(_dir, "wild", "*.example.com");
        using var provider = Provider(new ProxyTlsOptions { CertificateFile = cert, KeyFile = key }, new FakeTimeProvider());
        provider.Start();
        var before = provider.Current.Fallback!.Certificate.Thumbprint;
        File.WriteAllText(cert, _ca.Issue("*.example.com").Cert); // a new certificate, the old key

        provider.Reload("test");

        Assert.That(provider.Current.Select("a.example.com")!.Certificate.Thumbprint, Is.EqualTo(before));
        Assert.That(provider.Generation, Is.EqualTo(1));
    }

    [Test]
    public void Reload_NewMatchingPair_ServesIt()
    {
        var (cert, key) = _ca.Write(_dir, "wild", "*.example.com");
        using var provider = Provider(new ProxyTlsOptions { CertificateFile = cert, KeyFile = key }, new FakeTimeProvider());
        provider.Start();
        var before = provider.Current.Fallback!.Certificate.Thumbprint;
        _ca.Write(_dir, "wild", "*.example.com");

        provider.Reload("test");

        Assert.That(provider.Current.Select("a.example.com")!.Certificate.Thumbprint, Is.Not.EqualTo(before));
        Assert.That(provider.Generation, Is.EqualTo(2));
    }

    [Test]
    public void Start_MismatchedPair_ThrowsNamingKeyFile()
    {
        var (cert, _) = _ca.Write(_dir, "a", "*.example.com");
        var (_, otherKey) = _ca.Write(_dir, "b", "*.example.com");
        using var provider = Provider(new ProxyTlsOptions { CertificateFile = cert, KeyFile = otherKey }, new FakeTimeProvider());

        Assert.That(provider.Start, Throws.TypeOf<CertificateLoadException>().With.Message.StartWith(otherKey));
    }

    [Test]
    public void Reload_BadFileInFolder_KeepsThatHostsPreviousCertificate()
    {
        var (cert, _) = _ca.Write(_dir, "api.example.com", "api.example.com");
        using var provider = Provider(new ProxyTlsOptions { CertificateDirectory = _dir }, new FakeTimeProvider());
        provider.Start();
        var before = provider.Current.Select("api.example.com")!.Certificate.Thumbprint;
        File.WriteAllText(cert, "garbage");

        provider.Reload("test");

        Assert.That(provider.Current.Select("api.example.com")!.Certificate.Thumbprint, Is.EqualTo(before));
    }

    [Test]
    public void Start_CrtWithoutItsKeyInFolder_FailsNamingTheCrtAndTheMissingKey()
    {
        _ca.Write(_dir, "api.example.com", "api.example.com");
        File.WriteAllText(Path.Combine(_dir, "ca.crt"), _ca.Issue("ca.example.com").Cert);
        using var provider = Provider(new ProxyTlsOptions { CertificateDirectory = _dir }, new FakeTimeProvider());

        Assert.That(provider.Start, Throws.TypeOf<CertificateLoadException>().With.Message.EqualTo(
            $"{Path.Combine(_dir, "ca.crt")}: no ca.key beside it: each NAME.crt here is served with its NAME.key (a CA certificate does not belong in this folder)"));
    }

    [Test]
    public void Reload_ExpiredPairWritten_KeepsPreviousCertificateAndNamesTheFile()
    {
        var (cert, key) = _ca.Write(_dir, "wild", "*.example.com");
        var log = new CollectingLogger<CertificateProvider>();
        using var provider = new CertificateProvider(new ProxyTlsOptions { CertificateFile = cert, KeyFile = key }, "example.com", TimeProvider.System, log);
        provider.Start();
        var before = provider.Current.Fallback!.Certificate.Thumbprint;
        var (expiredCert, expiredKey) = _ca.IssueExpired("*.example.com");
        File.WriteAllText(key, expiredKey);
        File.WriteAllText(cert, expiredCert);

        provider.Reload("test");

        Assert.Multiple(() =>
        {
            Assert.That(provider.Current.Select("a.example.com")!.Certificate.Thumbprint, Is.EqualTo(before));
            Assert.That(provider.Generation, Is.EqualTo(1));
            Assert.That(log.Events.Single(e => e.Id.Id == TlsLogEvents.CertificateRejected).Message, Does.Contain($"{cert}: the certificate expired on "));
        });
    }

    [Test]
    public void Reload_GoodPairPutBackAfterARejection_SaysOnceThatTheFilesAreGoodAgain()
    {
        var (cert, key) = _ca.Write(_dir, "wild", "*.example.com");
        var goodCert = File.ReadAllText(cert);
        var log = new CollectingLogger<CertificateProvider>();
        using var provider = new CertificateProvider(new ProxyTlsOptions { CertificateFile = cert, KeyFile = key }, "example.com", TimeProvider.System, log);
        provider.Start();
        File.WriteAllText(cert, _ca.Issue("*.example.com").Cert); // a new certificate, the old key: rejected
        provider.Reload("test");

        // The operator puts the good pair back: the same certificate serves on, so nothing was "re-read" (6001), and
        // the last TLS line in the journal used to be the rejection, as if the node still had a bad file.
        File.WriteAllText(cert, goodCert);
        provider.Reload("test");
        provider.Reload("test");

        var readable = log.Events.Where(e => e.Id.Id == TlsLogEvents.CertificatesGoodAgain).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(log.Events.Count(e => e.Id.Id == TlsLogEvents.CertificateRejected), Is.EqualTo(1));
            Assert.That(readable, Has.Count.EqualTo(1));
            Assert.That(readable.Select(e => e.Message), Has.All.Contain("good again").And.All.Contain(cert));
            Assert.That(provider.Generation, Is.EqualTo(1));
        });
    }

    [Test]
    public void Reload_ExpiredCertificateInFolder_KeepsThatHostsPreviousCertificate()
    {
        _ca.Write(_dir, "api.example.com", "api.example.com");
        using var provider = Provider(new ProxyTlsOptions { CertificateDirectory = _dir }, TimeProvider.System);
        provider.Start();
        var before = provider.Current.Select("api.example.com")!.Certificate.Thumbprint;
        var (expiredCert, expiredKey) = _ca.IssueExpired("api.example.com");
        File.WriteAllText(Path.Combine(_dir, "api.example.com.key"), expiredKey);
        File.WriteAllText(Path.Combine(_dir, "api.example.com.crt"), expiredCert);

        provider.Reload("test");

        Assert.That(provider.Current.Select("api.example.com")!.Certificate.Thumbprint, Is.EqualTo(before));
    }

    [Test]
    public void Start_ExpiredPair_ServesItAndWarnsNamingTheFile()
    {
        var (expiredCert, expiredKey) = _ca.IssueExpired("*.example.com");
        var cert = Path.Combine(_dir, "wild.crt");
        var key = Path.Combine(_dir, "wild.key");
        File.WriteAllText(cert, expiredCert);
        File.WriteAllText(key, expiredKey);
        var log = new CollectingLogger<CertificateProvider>();
        using var provider = new CertificateProvider(new ProxyTlsOptions { CertificateFile = cert, KeyFile = key }, "example.com", TimeProvider.System, log);

        provider.Start();

        Assert.Multiple(() =>
        {
            Assert.That(provider.Current.Select("a.example.com"), Is.Not.Null);
            var warning = log.Events.Single(e => e.Id.Id == TlsLogEvents.CertificateExpired);
            Assert.That(warning.Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(warning.Message, Does.StartWith($"TLS certificate from {cert} + {key} expired on "));
        });
    }

    [Test]
    public void Start_CertificateForAnotherDomain_WarnsNamingTheDomainAndTheNames()
    {
        var (cert, key) = _ca.Write(_dir, "other", "*.other.example", "other.example");
        var log = new CollectingLogger<CertificateProvider>();
        using var provider = new CertificateProvider(new ProxyTlsOptions { CertificateFile = cert, KeyFile = key }, "example.com", TimeProvider.System, log);

        provider.Start();

        var warning = log.Events.Single(e => e.Id.Id == TlsLogEvents.DomainNotCovered);
        Assert.That(warning.Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(warning.Message, Does.StartWith("No TLS certificate covers the deployments' hosts under example.com (the certificates name *.other.example,other.example)"));
    }

    [Test]
    public void Start_WildcardForTheDomain_NoCoverageWarning()
    {
        var (cert, key) = _ca.Write(_dir, "wild", "*.example.com");
        var log = new CollectingLogger<CertificateProvider>();
        using var provider = new CertificateProvider(new ProxyTlsOptions { CertificateFile = cert, KeyFile = key }, "example.com", TimeProvider.System, log);

        provider.Start();

        Assert.That(log.Events.Select(e => e.Id.Id), Does.Contain(TlsLogEvents.CertificatesLoaded).And.Not.Contain(TlsLogEvents.DomainNotCovered));
    }

    [Test]
    public async Task Watch_FolderDeletedAndMadeAgain_NewCertificateInItIsServedWithoutReload()
    {
        var hosts = Directory.CreateDirectory(Path.Combine(_dir, "hosts")).FullName;
        _ca.Write(hosts, "api", "api.example.com");
        using var provider = Provider(new ProxyTlsOptions { CertificateDirectory = hosts, WatchDebounce = TimeSpan.FromMilliseconds(50) }, TimeProvider.System);
        provider.Start();
        var first = provider.Current.Select("api.example.com")!.Certificate.Thumbprint;

        Directory.Delete(hosts, recursive: true);
        await WaitForGenerationAsync(provider, 1, TimeSpan.FromMilliseconds(500)); // the re-read that finds no folder keeps the set
        Directory.CreateDirectory(hosts);
        _ca.Write(hosts, "api", "api.example.com");
        await WaitForGenerationAsync(provider, 2, TimeSpan.FromSeconds(10));
        var second = provider.Current.Select("api.example.com")!.Certificate.Thumbprint;
        _ca.Write(hosts, "api", "api.example.com"); // a change inside the new folder: watched too
        await WaitForGenerationAsync(provider, 3, TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(second, Is.Not.EqualTo(first));
            Assert.That(provider.Current.Select("api.example.com")!.Certificate.Thumbprint, Is.Not.EqualTo(second));
        });
    }

    /// <summary>Waits at most <paramref name="timeout"/> for <paramref name="generation"/>; the test's assertions check what came of it.</summary>
    private static Task WaitForGenerationAsync(CertificateProvider provider, int generation, TimeSpan timeout) =>
        TestTimeouts.WaitAtMostAsync(() => provider.Generation >= generation, timeout);

    [Test]
    public void RenewalTimer_NodeCaCertificateDue_IsReissuedWithoutRestart()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        using var provider = Provider(new ProxyTlsOptions { AuthorityDirectory = _dir, RenewalCheckInterval = TimeSpan.FromDays(1) }, time);
        provider.Start();
        var first = provider.Current.Fallback!;

        time.Advance(NodeCertificateAuthority.LeafLifetime - NodeCertificateAuthority.RenewBefore - TimeSpan.FromDays(2));
        var beforeDue = provider.Current.Fallback!;
        time.Advance(TimeSpan.FromDays(3));

        Assert.Multiple(() =>
        {
            Assert.That(beforeDue.Certificate.Thumbprint, Is.EqualTo(first.Certificate.Thumbprint));
            Assert.That(provider.Current.Fallback!.Certificate.Thumbprint, Is.Not.EqualTo(first.Certificate.Thumbprint));
            Assert.That(provider.Current.Fallback!.NotAfter, Is.GreaterThan(first.NotAfter));
        });
    }
}
