using GradientNode.Core.Routing;
using GradientNode.Proxy.Tls;
using GradientNode.Tests.Infrastructure;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

/// <summary>A rejected re-read is said where an operator looks (<c>gradient-node node</c>, the console), not only in the journal.</summary>
internal sealed partial class CertificateProviderTests
{
    [Test]
    public void Reload_KeyThatDoesNotMatchWritten_NodeWarningNamesTheFileUntilTheGoodPairIsBack()
    {
        // newuser16: a wrong key copied over wildcard.key was logged (6002) and the old pair served on, but `gradient-node
        // node` and the console said nothing: the first sign was every client refusing the old certificate once it expired.
        var (cert, key) = _ca.Write(_dir, "wild", "*.example.com");
        var good = File.ReadAllText(key);
        var run = Path.Combine(_dir, "run");
        using var provider = new CertificateProvider(new ProxyTlsOptions { CertificateFile = cert, KeyFile = key }, "example.com", new FakeTimeProvider(), new CollectingLogger<CertificateProvider>(), runDir: run);
        provider.Start();
        var atStart = TlsNamesFile.Read(run)!.Rejected;

        File.WriteAllText(key, _ca.Issue("*.example.com").Key);
        provider.Reload("test");
        var whileBad = TlsNamesFile.Read(run)!.Rejected;
        File.WriteAllText(key, good);
        provider.Reload("test");

        Assert.Multiple(() =>
        {
            Assert.That(atStart, Is.Null);
            Assert.That(whileBad, Is.EqualTo(
                $"https: certificate files were rejected, so the certificates read before them keep serving (until they expire): {key}: the private key does not match the certificate; "
                + "put good files in place: they are read again at each change"));
            Assert.That(TlsNamesFile.Read(run)!.Rejected, Is.Null, "gone once the files are good");
            Assert.That(TlsNamesFile.Read(run)!.Given, Is.EqualTo(new[] { "*.example.com" }), "what the node serves is still said");
        });
    }

    [Test]
    public void ReloadAfterChange_KeyStillWrongAfterTheGrace_NodeWarnsOnlyAfterTheGrace()
    {
        var (cert, key) = _ca.Write(_dir, "wild", "*.example.com");
        var run = Path.Combine(_dir, "run");
        var time = new FakeTimeProvider();
        using var provider = new CertificateProvider(new ProxyTlsOptions { CertificateFile = cert, KeyFile = key }, "example.com", time, new CollectingLogger<CertificateProvider>(), runDir: run);
        provider.Start();

        File.WriteAllText(cert, _ca.Issue("*.example.com").Cert);
        provider.ReloadAfterChange();
        var withinTheGrace = TlsNamesFile.Read(run)!.Rejected;
        time.Advance(TimeSpan.FromSeconds(2)); // the watcher's debounced re-read may hold it once more
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Multiple(() =>
        {
            Assert.That(withinTheGrace, Is.Null, "a pair replaced file by file is routine: nothing said while its key may still come");
            Assert.That(TlsNamesFile.Read(run)!.Rejected, Does.Contain($"{key}: the private key does not match the certificate"));
        });
    }
}
