using GradientNode.Proxy.Tls;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

/// <summary>Re-reads in the middle of a replacement: each keeps the previous certificate serving and names the file.</summary>
internal sealed partial class CertificateProviderTests
{
    [Test]
    public void Reload_KeyReplacedBeforeItsCertificate_PreviousServesUntilTheCertificateFollows()
    {
        var (cert, key) = _ca.Write(_dir, "wild", "*.example.com");
        var log = new CollectingLogger<CertificateProvider>();
        using var provider = new CertificateProvider(new ProxyTlsOptions { CertificateFile = cert, KeyFile = key }, "example.com", new FakeTimeProvider(), log);
        provider.Start();
        var before = provider.Current.Select("a.example.com")!.Certificate.Thumbprint;
        var next = _ca.Issue("*.example.com");

        File.WriteAllText(key, next.Key);
        provider.Reload("key written");
        var between = provider.Current.Select("a.example.com")!.Certificate.Thumbprint;
        File.WriteAllText(cert, next.Cert);
        provider.Reload("certificate written");

        Assert.Multiple(() =>
        {
            Assert.That(between, Is.EqualTo(before), "the old pair keeps serving while only the key is new");
            Assert.That(log.Events.Where(e => e.Id.Id == 6002).Select(e => e.Message), Has.Some.Contain($"{key}: the private key does not match the certificate"));
            Assert.That(provider.Current.Select("a.example.com")!.Certificate.Thumbprint, Is.Not.EqualTo(before), "the new pair once both are written");
        });
    }

    [TestCase("pair")]
    [TestCase("folder")]
    public void Reload_CertificateTruncatedMidWrite_PreviousKeepsServingAndTheErrorNamesTheFile(string where)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "hosts")).FullName;
        var (cert, key) = _ca.Write(folder, "api", "api.example.com");
        var options = where == "pair" ? new ProxyTlsOptions { CertificateFile = cert, KeyFile = key } : new ProxyTlsOptions { CertificateDirectory = folder };
        var log = new CollectingLogger<CertificateProvider>();
        using var provider = new CertificateProvider(options, "example.com", new FakeTimeProvider(), log);
        provider.Start();
        var before = provider.Current.Select("api.example.com")!.Certificate.Thumbprint;
        var next = _ca.Issue("api.example.com").Cert;

        File.WriteAllText(cert, next[..(next.Length / 2)]); // a writer caught half-way, no END line yet
        provider.Reload("test");

        Assert.Multiple(() =>
        {
            Assert.That(provider.Current.Select("api.example.com")!.Certificate.Thumbprint, Is.EqualTo(before));
            Assert.That(log.Events.Where(e => e.Id.Id == 6002).Select(e => e.Message), Has.Some.Contain($"{cert}: no certificate in it"));
        });
    }

    [Test]
    public void Reload_TlsCertFileDeleted_PreviousKeepsServingAndTheErrorNamesIt()
    {
        var (cert, key) = _ca.Write(_dir, "wild", "*.example.com");
        var log = new CollectingLogger<CertificateProvider>();
        using var provider = new CertificateProvider(new ProxyTlsOptions { CertificateFile = cert, KeyFile = key }, "example.com", new FakeTimeProvider(), log);
        provider.Start();
        var before = provider.Current.Select("a.example.com")!.Certificate.Thumbprint;

        File.Delete(cert);
        provider.Reload("test");

        Assert.Multiple(() =>
        {
            Assert.That(provider.Current.Select("a.example.com")!.Certificate.Thumbprint, Is.EqualTo(before));
            Assert.That(log.Events.Where(e => e.Id.Id == 6002).Select(e => e.Message), Has.Some.EqualTo($"TLS certificate rejected, the previous one keeps serving: {cert}: file not found"));
        });
    }

    [Test]
    public void Reload_FolderCrtDeletedItsKeyLeft_PreviousKeepsServingNamingTheMissingFileUntilTheKeyGoesToo()
    {
        var (cert, key) = _ca.Write(_dir, "api", "api.example.com");
        _ca.Write(_dir, "web", "web.example.com");
        var log = new CollectingLogger<CertificateProvider>();
        using var provider = new CertificateProvider(new ProxyTlsOptions { CertificateDirectory = _dir }, "example.com", new FakeTimeProvider(), log);
        provider.Start();
        var before = provider.Current.Select("api.example.com")!.Certificate.Thumbprint;

        File.Delete(cert); // rm api.crt before cp new.crt api.crt
        provider.Reload("test");
        var between = provider.Current.Select("api.example.com")!;
        File.Delete(key); // the pair deleted whole: that host's certificate is removed
        provider.Reload("test");

        Assert.Multiple(() =>
        {
            Assert.That(between.Certificate.Thumbprint, Is.EqualTo(before), "before, the host lost its certificate at once");
            Assert.That(log.Events.Where(e => e.Id.Id == 6002).Select(e => e.Message), Has.Some.Contain($"{cert}: file not found, while its api.key is still there"));
            Assert.That(provider.Current.PerHost.SelectMany(c => c.DnsNames), Is.EqualTo(new[] { "web.example.com" }), "removed once its key went too");
        });
    }
}
