using GradientNode.Proxy.Tls;
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
}
