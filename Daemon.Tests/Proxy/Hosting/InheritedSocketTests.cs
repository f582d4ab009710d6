using System.Net;
using GradientNode.Proxy.Hosting;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Hosting;

[TestFixture]
[Category("Unit")]
internal sealed class InheritedSocketTests
{
    private static readonly InheritedSocket AnyV6 = new(3, new IPEndPoint(IPAddress.IPv6Any, 8080));
    private static readonly InheritedSocket AnyV4 = new(4, new IPEndPoint(IPAddress.Any, 8081));
    private static readonly InheritedSocket Loopback = new(5, new IPEndPoint(IPAddress.Loopback, 8443));
    private static readonly InheritedSocket Mapped = new(6, new IPEndPoint(IPAddress.Parse("::ffff:10.0.0.5"), 9000));
    private static readonly IReadOnlyList<InheritedSocket> All = [AnyV6, AnyV4, Loopback, Mapped];

    [TestCase("http://0.0.0.0:8080", 3)]
    [TestCase("http://*:8080", 3)]
    [TestCase("http://+:8080", 3)]
    [TestCase("http://[::]:8080", 3)]
    [TestCase("http://0.0.0.0:8081", 4)]
    [TestCase("https://127.0.0.1:8443", 5)]
    [TestCase("https://localhost:8443", 5)]
    [TestCase("http://10.0.0.5:9000", 6)]
    public void For_UrlOnAnInheritedAddressAndPort_ThatSocket(string url, int descriptor)
    {
        Assert.That(InheritedSocket.For(url, All)?.Descriptor, Is.EqualTo(descriptor));
    }

    [TestCase("http://0.0.0.0:9999", TestName = "For_AnotherPort_None")]
    [TestCase("http://127.0.0.1:8080", TestName = "For_OneAddressWhereTheSocketIsOnEvery_None")]
    [TestCase("https://0.0.0.0:8443", TestName = "For_EveryAddressWhereTheSocketIsOnLoopback_None")]
    [TestCase("http://127.0.0.1:0", TestName = "For_PortZero_None")]
    public void For_NoSocketOnThatAddress_None(string url)
    {
        Assert.That(InheritedSocket.For(url, All), Is.Null);
    }
}
