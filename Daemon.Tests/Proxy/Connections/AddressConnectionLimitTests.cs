using System.Net;
using GradientNode.Proxy.Auth;
using GradientNode.Proxy.Connections;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Connections;

[TestFixture]
[Category("Proxy")]
internal sealed class AddressConnectionLimitTests
{
    private static readonly UInt128 One = AuthFailureKey.ClientOf(IPAddress.Parse("203.0.113.7"));
    private static readonly UInt128 Other = AuthFailureKey.ClientOf(IPAddress.Parse("203.0.113.8"));

    [Test]
    public void TryEnter_PastTheLimit_RefusedForThatClientOnly()
    {
        var limit = new AddressConnectionLimit(2, NullLogger.Instance);

        Assert.Multiple(() =>
        {
            Assert.That(limit.TryEnter(One), Is.True);
            Assert.That(limit.TryEnter(One), Is.True);
            Assert.That(limit.TryEnter(One), Is.False, "a third connection of the same client");
            Assert.That(limit.TryEnter(Other), Is.True, "another client is not held back");
            Assert.That(limit.OpenOf(One), Is.EqualTo(2), "a refused connection is not counted");
        });
    }

    [Test]
    public void Exit_OneClosed_TheClientMayOpenOneAgain()
    {
        var limit = new AddressConnectionLimit(1, NullLogger.Instance);
        limit.TryEnter(One);

        limit.Exit(One);

        Assert.Multiple(() =>
        {
            Assert.That(limit.TryEnter(One), Is.True);
            Assert.That(limit.OpenOf(One), Is.EqualTo(1));
        });
    }

    [Test]
    public void TryEnter_TwoAddressesOfOneIpv6Slash64AndAnIpv4MappedPeer_CountedAsOneClientEach()
    {
        var limit = new AddressConnectionLimit(1, NullLogger.Instance);

        Assert.Multiple(() =>
        {
            Assert.That(limit.TryEnter(AuthFailureKey.ClientOf(IPAddress.Parse("2001:db8:1:2::1"))), Is.True);
            Assert.That(limit.TryEnter(AuthFailureKey.ClientOf(IPAddress.Parse("2001:db8:1:2:ffff::9"))), Is.False, "the same /64");
            Assert.That(limit.TryEnter(AuthFailureKey.ClientOf(IPAddress.Parse("2001:db8:1:3::1"))), Is.True, "another /64");
            Assert.That(limit.TryEnter(AuthFailureKey.ClientOf(IPAddress.Parse("::ffff:203.0.113.7"))), Is.True);
            Assert.That(limit.TryEnter(One), Is.False, "the dual-stack listener's mapped form is the same IPv4 client");
        });
    }

    [Test]
    public void TryEnter_ZeroMeansNoLimit_NeverRefuses()
    {
        var limit = new AddressConnectionLimit(0, NullLogger.Instance);

        Assert.That(Enumerable.Range(0, 20_000).All(_ => limit.TryEnter(One)), Is.True);
    }
}
