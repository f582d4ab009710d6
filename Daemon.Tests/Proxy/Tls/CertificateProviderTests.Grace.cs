using GradientNode.Proxy.Tls;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

/// <summary>A watched change's re-read holds a bad file for the grace, so a pair replaced file by file logs no error.</summary>
internal sealed partial class CertificateProviderTests
{
    [Test]
    public void ReloadAfterChange_CertificateWrittenBeforeItsKeyWithinTheGrace_NoRejectionLoggedAndTheNewPairServes()
    {
        var (cert, key, log, time) = WildcardPair();
        using var provider = StartedProvider(cert, key, log, time);
        var before = provider.Current.Select("a.example.com")!.Certificate.Thumbprint;
        var next = _ca.Issue("*.example.com");

        File.WriteAllText(cert, next.Cert);
        provider.ReloadAfterChange();
        var between = provider.Current.Select("a.example.com")!.Certificate.Thumbprint;
        File.WriteAllText(key, next.Key);
        provider.ReloadAfterChange();
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Multiple(() =>
        {
            Assert.That(between, Is.EqualTo(before), "the old pair keeps serving while only the certificate is new");
            Assert.That(log.Events.Where(e => e.Id.Id == 6002), Is.Empty, "a pair replaced file by file is routine, not an error");
            Assert.That(log.Events.Where(e => e.Id.Id == 6013).Select(e => e.Message), Has.Some.Contain($"{key}: the private key does not match the certificate"));
            Assert.That(provider.Current.Select("a.example.com")!.Certificate.Thumbprint, Is.Not.EqualTo(before), "the new pair once both are written");
        });
    }

    [Test]
    public void ReloadAfterChange_KeyStillWrongAfterTheGrace_RejectedOnceNamingTheFileAndTheOldPairServes()
    {
        var (cert, key, log, time) = WildcardPair();
        using var provider = StartedProvider(cert, key, log, time);
        var before = provider.Current.Select("a.example.com")!.Certificate.Thumbprint;

        File.WriteAllText(cert, _ca.Issue("*.example.com").Cert);
        provider.ReloadAfterChange();
        var held = log.Events.Count(e => e.Id.Id == 6002);
        time.Advance(TimeSpan.FromSeconds(2));
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Multiple(() =>
        {
            Assert.That(held, Is.Zero, "not said within the grace");
            Assert.That(log.Events.Where(e => e.Id.Id == 6002).Select(e => e.Message), Is.EqualTo(new[] { $"TLS certificate rejected, the previous one keeps serving: {key}: the private key does not match the certificate" }));
            Assert.That(provider.Current.Select("a.example.com")!.Certificate.Thumbprint, Is.EqualTo(before));
        });
    }

    private (string Cert, string Key, CollectingLogger<CertificateProvider> Log, FakeTimeProvider Time) WildcardPair()
    {
        var (cert, key) = _ca.Write(_dir, "wild", "*.example.com");
        return (cert, key, new CollectingLogger<CertificateProvider>(), new FakeTimeProvider());
    }

    private static CertificateProvider StartedProvider(string cert, string key, CollectingLogger<CertificateProvider> log, FakeTimeProvider time)
    {
        var provider = new CertificateProvider(new ProxyTlsOptions { CertificateFile = cert, KeyFile = key }, "example.com", time, log);
        provider.Start();
        return provider;
    }
}
