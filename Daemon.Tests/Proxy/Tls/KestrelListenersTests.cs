using System.Net.Security;
using System.Security.Authentication;
using GradientNode.Proxy.Tls;
using GradientNode.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Tls;

[TestFixture]
[Category("Unit")]
internal sealed class KestrelListenersTests
{
    [Test]
    public void ProtocolsFor_ClearText_Http1OnlySoKestrelDoesNotWarnItCannotServeHttp2()
    {
        Assert.That(KestrelListeners.ProtocolsFor(https: false), Is.EqualTo(HttpProtocols.Http1));
    }

    [Test]
    public void ProtocolsFor_Tls_Http1AndHttp2ByAlpn()
    {
        Assert.That(KestrelListeners.ProtocolsFor(https: true), Is.EqualTo(HttpProtocols.Http1AndHttp2));
    }

    [Test]
    public void Authenticate_AnyServerName_Tls12And13OnlyWithoutRenegotiationWhateverTheHostsPolicy()
    {
        // Before: EnabledSslProtocols None, the host's OpenSSL policy decided (a legacy policy offers TLS 1.0 and 1.1).
        ForEachServerName((name, options) => Assert.Multiple(() =>
        {
            Assert.That(options.EnabledSslProtocols, Is.EqualTo(SslProtocols.Tls12 | SslProtocols.Tls13), name);
            Assert.That(options.AllowRenegotiation, Is.False, name);
            Assert.That(options.ServerCertificateContext, Is.Not.Null, name);
        }));
    }

    [Test]
    public void Authenticate_AnyServerName_NoCipherPolicySoDotNetKeepsOneTlsContextPerCertificate()
    {
        // With a CipherSuitesPolicy .NET's OpenSSL layer skips its context cache: every handshake built a new SSL_CTX
        // and no session was resumed (openssl s_client -reconnect: 6 of 6 "New").
        ForEachServerName((name, options) => Assert.That(options.CipherSuitesPolicy, Is.Null, name));
    }

    private static void ForEachServerName(Action<string, SslServerAuthenticationOptions> check)
    {
        var dir = Directory.CreateTempSubdirectory("gn-tls-protocols-").FullName;
        try
        {
            using var ca = new TestCertificates();
            var (cert, key) = ca.Write(dir, "wildcard", "*.example.com", "example.com");
            using var provider = new CertificateProvider(new ProxyTlsOptions { CertificateFile = cert, KeyFile = key }, "example.com",
                new FakeTimeProvider(), new CollectingLogger<CertificateProvider>());
            provider.Start();
            foreach (var name in new[] { "web.example.com", "unknown.other", null })
            {
                check(name ?? "no SNI", KestrelListeners.Authenticate(provider, name));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
