using System.Net;
using GradientNode.Proxy.Auth;
using NUnit.Framework;

namespace GradientNode.Tests.Proxy.Auth;

[TestFixture]
[Category("Unit")]
internal sealed class AuthFailureKeyTests
{
    [TestCase("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff")]
    [TestCase("203.0.113.7", "::ffff:203.0.113.7")]
    public void ClientOf_SameGroup_SameClient(string a, string b) =>
        Assert.That(AuthFailureKey.ClientOf(IPAddress.Parse(a)), Is.EqualTo(AuthFailureKey.ClientOf(IPAddress.Parse(b))));

    [TestCase("2001:db8:1:2::1", "2001:db8:1:3::1")]
    [TestCase("203.0.113.7", "203.0.113.8")]
    [TestCase("0.0.0.1", "::1")]
    [TestCase("::ffff:203.0.113.7", "::203.0.113.7")]
    public void ClientOf_OtherGroup_OtherClient(string a, string b) =>
        Assert.That(AuthFailureKey.ClientOf(IPAddress.Parse(a)), Is.Not.EqualTo(AuthFailureKey.ClientOf(IPAddress.Parse(b))));

    [TestCase("203.0.113.7", "203.0.113.7")]
    [TestCase("::ffff:203.0.113.7", "203.0.113.7")]
    [TestCase("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    public void Describe_Group_AddressOrPrefix(string address, string expected) =>
        Assert.That(AuthFailureKey.Describe(AuthFailureKey.ClientOf(IPAddress.Parse(address))), Is.EqualTo(expected));

    [Test]
    public void ClientOf_Null_Zero() =>
        Assert.That(AuthFailureKey.ClientOf(null), Is.EqualTo(UInt128.Zero));
}
